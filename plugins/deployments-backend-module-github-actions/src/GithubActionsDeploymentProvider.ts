import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DeploymentOutcome,
  DeploymentProvider,
  DeploymentReporter,
  DeploymentRequest,
  RuntimeState,
} from '@paved-road/plugin-deployments-node';
import { GithubActionsConfig } from './config';
import { GithubRepositories } from './github/GithubRepository';
import { GithubEnvironments } from './runtime/GithubEnvironments';
import { outcomeOf } from './workflow/outcome';
import { RunFollower } from './workflow/RunFollower';
import { sleep } from './workflow/sleep';
import { WorkflowRun, WorkflowRuns } from './workflow/WorkflowRuns';

/** How far back a resumed deployment looks for the run it dispatched. */
const RESUME_LOOKBACK_MS = 3 * 24 * 60 * 60 * 1000;
const SHA = /^[0-9a-f]{7,40}$/i;

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * Whether an abort is a cancel (the run is cancelled) rather than this
 * backend letting go (shutdown, another runner took over: the run goes on
 * and a resumed attempt follows it). The engine says which in the reason.
 */
export function isCancel(signal: AbortSignal): boolean {
  return /^cancel/i.test(message(signal.reason));
}

/**
 * The `github-actions` deployment provider: dispatches the repository's
 * deployment workflow with `version` (the commit) and `environment`,
 * follows its jobs as the deployment's stages and ends as its run ends.
 */
export class GithubActionsDeploymentProvider implements DeploymentProvider {
  readonly id = 'github-actions';

  constructor(
    private readonly options: {
      config: GithubActionsConfig;
      repositories: GithubRepositories;
      environments: GithubEnvironments;
      logger: LoggerService;
    },
  ) {}

  async deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const { repository } = request;
    if (!repository.githubSlug) {
      return {
        status: 'failed',
        reason: `${repository.cloneUrl} is not a GitHub repository: the github-actions provider deploys from GitHub only`,
      };
    }
    try {
      const runs = new WorkflowRuns(
        this.options.repositories.open(
          repository.cloneUrl,
          repository.githubSlug,
          line => reporter.log(line),
        ),
        this.options.config.workflow,
      );
      return await this.run(runs, request, reporter);
    } catch (error) {
      return { status: 'failed', reason: message(error) };
    } finally {
      this.options.environments.forget(request.entityRef, request.environment);
    }
  }

  private async run(
    runs: WorkflowRuns,
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const { signal } = reporter;
    const run = await reporter.stage('dispatch', () =>
      this.findOrDispatch(runs, request, reporter),
    );
    if (!run) {
      return {
        status: 'failed',
        reason: 'cancelled before the workflow was dispatched',
      };
    }
    reporter.log(`run #${run.run_number} of ${runs.workflow}: ${run.html_url}`);
    const follower = new RunFollower(
      runs,
      reporter,
      this.options.config.pollIntervalMs,
    );
    const followed = await follower.follow(run.id);
    if (followed.completed) {
      const outcome = outcomeOf(
        followed.run,
        followed.jobs,
        follower.failureMessages,
      );
      reporter.log(`run #${run.run_number} ended ${followed.run.conclusion}`);
      return outcome;
    }
    if (isCancel(signal)) {
      return this.cancel(runs, run, reporter);
    }
    // Shutdown or handover: the run goes on, the next attempt follows it.
    return {
      status: 'failed',
      reason: `stopped following run #${run.run_number} (${message(
        signal.reason,
      )}); it goes on on GitHub`,
    };
  }

  /**
   * The run an earlier attempt of this deployment dispatched (found by
   * the deployment id in its name), else a new dispatch's run. Undefined
   * when cancelled before anything was dispatched.
   */
  private async findOrDispatch(
    runs: WorkflowRuns,
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<WorkflowRun | undefined> {
    const { config } = this.options;
    const existing = await runs.findByDeploymentId(
      request.deploymentId,
      new Date(Date.now() - RESUME_LOOKBACK_MS),
    );
    if (existing) {
      reporter.log(
        `run #${existing.run_number} of this deployment exists (${existing.status}): following it instead of dispatching again`,
      );
      return existing;
    }
    if (reporter.signal.aborted) {
      return undefined;
    }
    // A dispatch takes a branch or tag; a sha is deployed from the default branch's workflow.
    const ref =
      request.ref === request.commitSha || SHA.test(request.ref)
        ? request.repository.defaultBranch
        : request.ref.replace(/^refs\/(heads|tags)\//, '');
    const inputs = {
      version: request.commitSha,
      environment: request.environment,
      deployment_id: request.deploymentId,
    };
    const dispatched = await runs.dispatch(ref, inputs, line =>
      reporter.log(line),
    );
    reporter.log(
      `dispatched ${runs.workflow} on ${ref} with version ${request.commitSha} and environment ${request.environment}`,
    );
    return runs.waitForDispatchedRun({
      dispatched,
      deploymentId: request.deploymentId,
      ref,
      commitSha: request.commitSha,
      timeoutMs: config.runLookupTimeoutMs,
      maxIntervalMs: config.pollIntervalMs,
      signal: reporter.signal,
    });
  }

  /** Cancels the run and waits (bounded) until GitHub says it stopped. */
  private async cancel(
    runs: WorkflowRuns,
    run: WorkflowRun,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const { pollIntervalMs, runLookupTimeoutMs } = this.options.config;
    const accepted = await runs.cancel(run.id);
    reporter.log(
      accepted
        ? `asked GitHub to cancel run #${run.run_number}`
        : `run #${run.run_number} had completed before the cancel`,
    );
    const deadline = Date.now() + runLookupTimeoutMs;
    let current = await runs.getRun(run.id);
    while (current.status !== 'completed' && Date.now() < deadline) {
      await sleep(pollIntervalMs);
      current = await runs.getRun(run.id);
    }
    if (current.status !== 'completed') {
      return {
        status: 'failed',
        reason: `cancelled; run #${run.run_number} had not stopped yet: ${run.html_url}`,
      };
    }
    if (current.conclusion === 'cancelled') {
      return { status: 'failed', reason: 'cancelled' };
    }
    // It ended before the cancel reached it: that is what happened.
    const jobs = await runs.listJobs(run.id);
    return outcomeOf(current, jobs);
  }

  getRuntime(entityRef: string, environment: string): Promise<RuntimeState> {
    return this.options.environments.runtime(entityRef, environment);
  }

  async teardown(entityRef: string, environment: string): Promise<void> {
    const marked = await this.options.environments.teardown(
      entityRef,
      environment,
    );
    this.options.logger.info(
      `Marked ${marked} GitHub deployment(s) of ${entityRef} in ${environment} inactive`,
    );
  }
}
