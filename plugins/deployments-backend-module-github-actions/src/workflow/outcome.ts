import type { DeploymentOutcome } from '@paved-road/plugin-deployments-node';
import type { WorkflowJob, WorkflowRun } from './WorkflowRuns';

/** A job or step that undoes a rollout: `Rollback`, `Roll back (eu)`, … */
export const ROLLBACK_NAME = /roll[\s_-]?back/i;
/** A step whose failure the workflow answers by rolling back. */
export const CANARY_OR_HEALTH_NAME = /canary|health/i;

type Step = NonNullable<WorkflowJob['steps']>[number];

const FAILED = ['failure', 'timed_out', 'startup_failure'];

/** `step "Canary" of job "Deploy (eu)" failed: <why>`; undefined when no job failed. */
function describeFailure(
  jobs: WorkflowJob[],
  failureMessages: Map<number, string[]>,
): { text: string; step?: Step } | undefined {
  for (const job of jobs) {
    if (
      !FAILED.includes(job.conclusion ?? '') ||
      ROLLBACK_NAME.test(job.name)
    ) {
      continue;
    }
    const step = job.steps?.find(
      s => FAILED.includes(s.conclusion ?? '') && !ROLLBACK_NAME.test(s.name),
    );
    const why = failureMessages.get(job.id)?.slice(0, 2).join('; ');
    const what = step
      ? `step "${step.name}" of job "${job.name}" failed`
      : `job "${job.name}" ended ${job.conclusion?.replace('_', ' ')}`;
    return { text: why ? `${what}: ${why}` : what, step };
  }
  return undefined;
}

/**
 * What a completed run means for the deployment, by the workflow contract:
 * success → succeeded; a rollback job or step that ran, or a failed canary
 * or health-check step (which the workflow undoes itself) → rolled-back;
 * a rollback that failed, or any other failure → failed.
 */
export function outcomeOf(
  run: WorkflowRun,
  jobs: WorkflowJob[],
  failureMessages: Map<number, string[]> = new Map(),
): DeploymentOutcome {
  if (run.conclusion === 'success') {
    return { status: 'succeeded' };
  }
  const ordered = [...jobs].sort(
    (a, b) =>
      Date.parse(a.started_at ?? '') - Date.parse(b.started_at ?? '') ||
      a.id - b.id,
  );
  const failure = describeFailure(ordered, failureMessages) ?? {
    text: `the workflow run ended ${
      run.conclusion?.replace('_', ' ') ?? 'without a conclusion'
    }`,
  };

  const rollbacks = [
    ...ordered
      .filter(job => ROLLBACK_NAME.test(job.name))
      .map(job => ({ label: `job "${job.name}"`, conclusion: job.conclusion })),
    ...ordered.flatMap(job =>
      (job.steps ?? [])
        .filter(step => ROLLBACK_NAME.test(step.name))
        .map(step => ({
          label: `step "${step.name}" of job "${job.name}"`,
          conclusion: step.conclusion,
        })),
    ),
  ];
  const failedRollback = rollbacks.find(r =>
    FAILED.includes(r.conclusion ?? ''),
  );
  if (failedRollback) {
    return {
      status: 'failed',
      reason: `${failure.text}; the rollback (${failedRollback.label}) failed too, so what serves is not known`,
    };
  }
  const rolledBack = rollbacks.find(r => r.conclusion === 'success');
  if (rolledBack) {
    return {
      status: 'rolled-back',
      reason: `${failure.text}; the workflow rolled back (${rolledBack.label})`,
    };
  }
  if (failure.step && CANARY_OR_HEALTH_NAME.test(failure.step.name)) {
    return {
      status: 'rolled-back',
      reason: `${failure.text}; the workflow undoes a failed canary or health check`,
    };
  }
  if (run.conclusion === 'cancelled') {
    return {
      status: 'failed',
      reason: 'the workflow run was cancelled on GitHub',
    };
  }
  return { status: 'failed', reason: failure.text };
}
