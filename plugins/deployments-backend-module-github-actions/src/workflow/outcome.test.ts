import { outcomeOf } from './outcome';
import type { WorkflowJob, WorkflowRun } from './WorkflowRuns';

type StepSpec = [name: string, conclusion: string];

function job(
  id: number,
  name: string,
  conclusion: string,
  steps: StepSpec[] = [],
): WorkflowJob {
  return {
    id,
    name,
    status: 'completed',
    conclusion,
    started_at: new Date(Date.UTC(2026, 0, 1, 10, id)).toISOString(),
    steps: steps.map(([stepName, stepConclusion], i) => ({
      name: stepName,
      status: 'completed',
      conclusion: stepConclusion,
      number: i + 1,
    })),
  } as WorkflowJob;
}

const run = (conclusion: string) =>
  ({ id: 1, status: 'completed', conclusion } as WorkflowRun);

describe('outcomeOf', () => {
  it('a successful run succeeded', () => {
    expect(outcomeOf(run('success'), [job(1, 'Deploy', 'success')])).toEqual({
      status: 'succeeded',
    });
  });

  it('a job named rollback that ran means rolled back', () => {
    expect(
      outcomeOf(
        run('failure'),
        [
          job(1, 'Deploy', 'failure', [
            ['Promote', 'failure'],
            ['Smoke test', 'skipped'],
          ]),
          job(2, 'Roll back', 'success', [['Undo', 'success']]),
        ],
        new Map([[1, ['kubectl rollout status timed out']]]),
      ),
    ).toEqual({
      status: 'rolled-back',
      reason:
        'step "Promote" of job "Deploy" failed: kubectl rollout status timed out; the workflow rolled back (job "Roll back")',
    });
  });

  it('a failed health-check step means rolled back even without a rollback step', () => {
    expect(
      outcomeOf(run('failure'), [
        job(1, 'Deploy', 'failure', [['Health check', 'failure']]),
      ]),
    ).toEqual({
      status: 'rolled-back',
      reason:
        'step "Health check" of job "Deploy" failed; the workflow undoes a failed canary or health check',
    });
  });

  it('a rollback that failed is a failure: what serves is not known', () => {
    expect(
      outcomeOf(run('failure'), [
        job(1, 'Deploy', 'failure', [
          ['Canary', 'failure'],
          ['Rollback', 'failure'],
        ]),
      ]),
    ).toEqual({
      status: 'failed',
      reason:
        'step "Canary" of job "Deploy" failed; the rollback (step "Rollback" of job "Deploy") failed too, so what serves is not known',
    });
  });

  it('other failures, timeouts and cancels on GitHub fail', () => {
    expect(
      outcomeOf(run('failure'), [
        job(1, 'Build', 'failure', [['Verify', 'failure']]),
        job(2, 'Deploy', 'skipped'),
      ]),
    ).toEqual({
      status: 'failed',
      reason: 'step "Verify" of job "Build" failed',
    });
    expect(outcomeOf(run('failure'), [job(1, 'Deploy', 'timed_out')])).toEqual({
      status: 'failed',
      reason: 'job "Deploy" ended timed out',
    });
    expect(
      outcomeOf(run('cancelled'), [job(1, 'Deploy', 'cancelled')]),
    ).toEqual({
      status: 'failed',
      reason: 'the workflow run was cancelled on GitHub',
    });
    expect(outcomeOf(run('startup_failure'), [])).toEqual({
      status: 'failed',
      reason: 'the workflow run ended startup failure',
    });
  });
});
