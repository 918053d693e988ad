import type { DeploymentReporter } from '@paved-road/plugin-deployments-node';
import { sleep } from './sleep';
import { WorkflowJob, WorkflowRun, WorkflowRuns } from './WorkflowRuns';

export type FollowResult =
  | { completed: true; run: WorkflowRun; jobs: WorkflowJob[] }
  | { completed: false };

type Step = NonNullable<WorkflowJob['steps']>[number];

function seconds(from?: string | null, to?: string | null): string {
  const ms = Date.parse(to ?? '') - Date.parse(from ?? '');
  return Number.isFinite(ms) && ms >= 0 ? ` (${Math.round(ms / 1000)} s)` : '';
}

/** Jobs in the order they started; those that have not, last. */
function byStart(a: WorkflowJob, b: WorkflowJob): number {
  const start = (job: WorkflowJob) =>
    job.started_at && job.status !== 'queued' && job.status !== 'waiting'
      ? Date.parse(job.started_at)
      : Number.MAX_SAFE_INTEGER;
  return start(a) - start(b) || a.id - b.id;
}

const started = (job: WorkflowJob) =>
  job.status === 'in_progress' || job.status === 'completed';

/**
 * Follows a workflow run: each job that starts becomes a stage of the
 * deployment (one at a time, in the order they started), its steps log
 * lines as they finish, and the stage fails when the job does.
 */
export class RunFollower {
  /** Jobs whose stage (or skip line) is done. */
  private readonly reported = new Set<number>();
  /** Step numbers already logged, per job. */
  private readonly loggedSteps = new Map<number, Set<number>>();
  private readonly noticedWaiting = new Set<number>();
  /** The `::error::` annotations of the jobs that failed, by job id. */
  readonly failureMessages = new Map<number, string[]>();

  constructor(
    private readonly runs: WorkflowRuns,
    private readonly reporter: DeploymentReporter,
    private readonly pollIntervalMs: number,
  ) {}

  /**
   * Resolves when the run has completed, with its final jobs, or early,
   * with `completed: false`, when the reporter's signal aborts.
   */
  async follow(runId: number): Promise<FollowResult> {
    const { signal } = this.reporter;
    for (;;) {
      if (signal.aborted) {
        return { completed: false };
      }
      const run = await this.runs.getRun(runId);
      const jobs = (await this.runs.listJobs(runId)).sort(byStart);
      const next = jobs.find(job => !this.reported.has(job.id) && started(job));
      if (next) {
        this.reported.add(next.id);
        await this.report(next);
        continue;
      }
      this.noticeWaiting(jobs);
      if (run.status === 'completed') {
        for (const job of jobs.filter(j => !this.reported.has(j.id))) {
          this.reported.add(job.id);
          this.reporter.log(
            `job "${job.name}" did not run (${job.conclusion ?? job.status})`,
          );
        }
        return { completed: true, run, jobs };
      }
      await sleep(this.pollIntervalMs, signal);
    }
  }

  /** A started job is a stage; one that ended without running a step, a log line. */
  private async report(job: WorkflowJob): Promise<void> {
    if (
      job.status === 'completed' &&
      (job.conclusion === 'skipped' || (job.steps ?? []).length === 0)
    ) {
      this.reporter.log(`job "${job.name}" did not run (${job.conclusion})`);
      return;
    }
    try {
      await this.reporter.stage(job.name, () => this.followJob(job));
    } catch {
      // The stage records why; the run's conclusion decides the outcome.
    }
  }

  private async followJob(first: WorkflowJob): Promise<void> {
    const { signal } = this.reporter;
    this.reporter.log(
      `job "${first.name}" started${
        first.runner_name ? ` on ${first.runner_name}` : ''
      }: ${first.html_url}`,
    );
    let job = first;
    for (;;) {
      this.logSteps(job);
      if (job.status === 'completed') {
        break;
      }
      if (!(await sleep(this.pollIntervalMs, signal))) {
        throw new Error(
          `stopped following: ${String(
            signal.reason?.message ?? signal.reason,
          )}`,
        );
      }
      job = await this.runs.getJob(job.id);
    }
    this.reporter.log(
      `job "${job.name}": ${job.conclusion}${seconds(
        job.started_at,
        job.completed_at,
      )}`,
    );
    if (job.conclusion === 'success' || job.conclusion === 'neutral') {
      return;
    }
    const failed = job.steps?.find(
      s => s.conclusion === 'failure' || s.conclusion === 'timed_out',
    );
    const messages = await this.runs.failureMessages(job);
    this.failureMessages.set(job.id, messages);
    for (const message of messages) {
      this.reporter.log(`error: ${message}`);
    }
    const why = messages[0] ? `: ${messages[0]}` : '';
    throw new Error(
      failed
        ? `step "${failed.name}" failed${why}`
        : `job ${job.conclusion?.replace('_', ' ')}${why}`,
    );
  }

  private logSteps(job: WorkflowJob) {
    const logged = this.loggedSteps.get(job.id) ?? new Set<number>();
    this.loggedSteps.set(job.id, logged);
    for (const step of job.steps ?? []) {
      if (step.status === 'completed' && !logged.has(step.number)) {
        logged.add(step.number);
        this.reporter.log(this.stepLine(step));
      }
    }
  }

  private stepLine(step: Step): string {
    return `  ${step.name}: ${step.conclusion}${seconds(
      step.started_at,
      step.completed_at,
    )}`;
  }

  /** Says once that a job waits, e.g. for an environment's reviewers. */
  private noticeWaiting(jobs: WorkflowJob[]) {
    for (const job of jobs) {
      if (job.status === 'waiting' && !this.noticedWaiting.has(job.id)) {
        this.noticedWaiting.add(job.id);
        this.reporter.log(
          `job "${job.name}" waits (an environment's protection rules, e.g. a required review): ${job.html_url}`,
        );
      }
    }
  }
}
