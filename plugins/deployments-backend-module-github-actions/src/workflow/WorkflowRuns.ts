import type { RestEndpointMethodTypes } from '@octokit/rest';
import { githubMessage, statusOf } from '../github/errors';
import { GithubRepository } from '../github/GithubRepository';
import { sleep } from './sleep';

export type WorkflowRun =
  RestEndpointMethodTypes['actions']['getWorkflowRun']['response']['data'];
export type WorkflowJob =
  RestEndpointMethodTypes['actions']['getJobForWorkflowRun']['response']['data'];

/** The workflow inputs of a deployment (the workflow contract). */
export interface DeploymentInputs {
  /** The commit sha to deploy. */
  version: string;
  environment: string;
  /** Carried into the run's name (`run-name`), so the run can be found again. */
  deployment_id: string;
}

export interface Dispatched {
  /** Known when GitHub returned the run's details. */
  runId?: number;
  /** GitHub's clock when it took the dispatch (its `date` header). */
  at: Date;
  /** False when the workflow has no `deployment_id` input. */
  carriesDeploymentId: boolean;
}

const DISPATCH_ROUTE =
  'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';

/** The `created` search qualifier GitHub's list filters take. */
function createdSince(at: Date): string {
  return `>=${at.toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}

/**
 * The GitHub Actions API calls of one workflow of one repository:
 * dispatch, finding the run a dispatch started, reading its jobs, cancel.
 */
export class WorkflowRuns {
  constructor(
    private readonly github: GithubRepository,
    /** File name or id. */
    readonly workflow: string,
  ) {}

  private get params() {
    return { owner: this.github.owner, repo: this.github.repo };
  }

  /**
   * Dispatches the workflow on `ref`. Asks for the run's details (GitHub
   * returns them since February 2026; older GitHub Enterprise Server
   * refuses the field, then it dispatches without), and leaves out
   * `deployment_id` when the workflow does not declare it.
   */
  async dispatch(
    ref: string,
    inputs: DeploymentInputs,
    log: (line: string) => void,
  ): Promise<Dispatched> {
    let returnRunDetails = true;
    let carriesDeploymentId = true;
    for (;;) {
      const { deployment_id, ...required } = inputs;
      try {
        const response = await this.github.octokit.request(DISPATCH_ROUTE, {
          ...this.params,
          workflow_id: this.workflow,
          ref,
          inputs: carriesDeploymentId ? inputs : required,
          ...(returnRunDetails ? { return_run_details: true } : {}),
        } as RestEndpointMethodTypes['actions']['createWorkflowDispatch']['parameters']);
        const data = response.data as { workflow_run_id?: unknown } | undefined;
        const date = new Date(String(response.headers.date ?? ''));
        return {
          runId:
            typeof data?.workflow_run_id === 'number'
              ? data.workflow_run_id
              : undefined,
          at: Number.isNaN(date.getTime()) ? new Date() : date,
          carriesDeploymentId,
        };
      } catch (error) {
        const status = statusOf(error);
        const message = githubMessage(error);
        if (
          returnRunDetails &&
          (status === 400 || status === 422) &&
          /return_run_details/.test(message)
        ) {
          returnRunDetails = false;
          continue;
        }
        if (
          carriesDeploymentId &&
          status === 422 &&
          /unexpected inputs/i.test(message) &&
          message.includes('deployment_id')
        ) {
          carriesDeploymentId = false;
          log(
            `${this.workflow} has no deployment_id input: dispatching without it (declare it and use it in run-name so a restarted backend finds the run again)`,
          );
          continue;
        }
        throw new Error(this.describeDispatchError(status, message, ref));
      }
    }
  }

  private describeDispatchError(
    status: number | undefined,
    message: string,
    ref: string,
  ): string {
    const where = `${this.github.owner}/${this.github.repo}`;
    switch (status) {
      case 404:
        return `GitHub found no workflow ${this.workflow} in ${where} (or the credentials cannot see it): ${message}`;
      case 403:
        return `GitHub refused to dispatch ${this.workflow} in ${where}: the credentials need actions: write (${message})`;
      case 422:
        return `GitHub refused to dispatch ${this.workflow} on ${ref} in ${where}: ${message}`;
      default:
        return `Dispatching ${this.workflow} in ${where} failed: ${message}`;
    }
  }

  /**
   * The newest run of the workflow whose name (`run-name`) carries the
   * deployment id, among the dispatched runs created since `since`; pages
   * through GitHub's list (its `Link` headers) until found.
   */
  async findByDeploymentId(
    deploymentId: string,
    since: Date,
  ): Promise<WorkflowRun | undefined> {
    const pages = this.github.octokit.paginate.iterator(
      this.github.octokit.actions.listWorkflowRuns,
      {
        ...this.params,
        workflow_id: this.workflow,
        event: 'workflow_dispatch',
        created: createdSince(since),
        per_page: 100,
      },
    );
    for await (const page of pages) {
      const run = page.data.find(r => r.display_title?.includes(deploymentId));
      if (run) {
        return run as WorkflowRun;
      }
    }
    return undefined;
  }

  /**
   * The run a dispatch started, polled with backoff until it is listed:
   * by the deployment id in its name, or, for a workflow without that
   * input, the oldest dispatched run on `ref` created since the dispatch
   * (preferring one on `commitSha`).
   */
  async waitForDispatchedRun(options: {
    dispatched: Dispatched;
    deploymentId: string;
    ref: string;
    commitSha: string;
    timeoutMs: number;
    maxIntervalMs: number;
    signal: AbortSignal;
  }): Promise<WorkflowRun> {
    const { dispatched, timeoutMs, maxIntervalMs } = options;
    if (dispatched.runId !== undefined) {
      return this.getRun(dispatched.runId);
    }
    // `date` has whole seconds and the run is created after the answer.
    const since = new Date(dispatched.at.getTime() - 5_000);
    const deadline = Date.now() + timeoutMs;
    let interval = Math.min(1_000, maxIntervalMs);
    for (;;) {
      const run = dispatched.carriesDeploymentId
        ? await this.findByDeploymentId(options.deploymentId, since)
        : await this.findUnnamed(since, options.ref, options.commitSha);
      if (run) {
        return run;
      }
      // A cancel still needs the run, to cancel it; only the timeout ends this.
      if (Date.now() + interval > deadline) {
        throw new Error(
          `The run of ${this.workflow} did not appear within ${
            timeoutMs / 1000
          } s of its dispatch (deployments.githubActions.runLookupTimeout)`,
        );
      }
      await sleep(interval);
      interval = Math.min(interval * 2, maxIntervalMs);
    }
  }

  private async findUnnamed(
    since: Date,
    ref: string,
    commitSha: string,
  ): Promise<WorkflowRun | undefined> {
    const runs = await this.github.octokit.paginate(
      this.github.octokit.actions.listWorkflowRuns,
      {
        ...this.params,
        workflow_id: this.workflow,
        event: 'workflow_dispatch',
        branch: ref,
        created: createdSince(since),
        per_page: 100,
      },
    );
    const oldestFirst = [...runs].sort(
      (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
    );
    return (oldestFirst.find(r => r.head_sha === commitSha) ??
      oldestFirst[0]) as WorkflowRun | undefined;
  }

  async getRun(runId: number): Promise<WorkflowRun> {
    const { data } = await this.github.octokit.actions.getWorkflowRun({
      ...this.params,
      run_id: runId,
    });
    return data;
  }

  /** Every job of the run's latest attempt, following pagination. */
  async listJobs(runId: number): Promise<WorkflowJob[]> {
    return this.github.octokit.paginate(
      this.github.octokit.actions.listJobsForWorkflowRun,
      { ...this.params, run_id: runId, filter: 'latest', per_page: 100 },
    );
  }

  async getJob(jobId: number): Promise<WorkflowJob> {
    const { data } = await this.github.octokit.actions.getJobForWorkflowRun({
      ...this.params,
      job_id: jobId,
    });
    return data;
  }

  /**
   * Asks GitHub to cancel the run; false when it had completed already
   * (GitHub answers 409).
   */
  async cancel(runId: number): Promise<boolean> {
    try {
      await this.github.octokit.actions.cancelWorkflowRun({
        ...this.params,
        run_id: runId,
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) {
        return false;
      }
      throw error;
    }
  }

  /**
   * The failure annotations of a job (its `::error::` lines), which say
   * why a step failed. Empty when the credentials cannot read checks.
   */
  async failureMessages(job: WorkflowJob): Promise<string[]> {
    const checkRunId = Number(job.check_run_url?.split('/').pop() ?? job.id);
    try {
      const { data } = await this.github.octokit.checks.listAnnotations({
        ...this.params,
        check_run_id: Number.isFinite(checkRunId) ? checkRunId : job.id,
        per_page: 50,
      });
      return (
        data
          .filter(a => a.annotation_level === 'failure' && a.message)
          .map(a => a.message!.trim())
          // The runner's own summary line says nothing the step does not.
          .filter(m => !/^Process completed with exit code \d+\.?$/.test(m))
      );
    } catch (error) {
      const status = statusOf(error);
      if (status === 403 || status === 404) {
        return [];
      }
      throw error;
    }
  }
}
