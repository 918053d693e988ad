import type {
  DeploymentDetails,
  DeploymentKind,
  DeploymentLogLine,
  DeploymentStage,
  DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentRepository } from '@paved-road/plugin-deployments-node';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import type { InTransaction } from './DeploymentsStore';

/** A deployment to queue: everything a runner on any replica needs. */
export interface NewDeploymentRun {
  id: string;
  entityRef: string;
  environment: string;
  kind: DeploymentKind;
  ref: string;
  commitSha: string;
  committedAt: string;
  previousCommitSha: string | null;
  repository: DeploymentRepository;
  settings: DeploymentSettings;
  settingsVersion: number | null;
  triggeredBy: string;
  /** ISO 8601; stored as the deployment's `startedAt`. */
  requestedAt: string;
}

/** A stored run, with where its repository is; stages are read apart. */
export interface StoredRun extends Omit<DeploymentDetails, 'stages'> {
  repository: DeploymentRepository | null;
  claimedBy: string | null;
  heartbeatAt: string | null;
}

/**
 * One runner's hold on a deployment. `attempt` fences every write: once
 * another runner has claimed the deployment (after this one's heartbeat
 * went stale) this claim's writes change nothing.
 */
export interface RunClaim {
  deploymentId: string;
  owner: string;
  attempt: number;
  /** True when an earlier runner started it and stopped (a restart). */
  resumed: boolean;
}

/** How a run ended, as the runner records it. */
export interface RunOutcome {
  status: Extract<DeploymentStatus, 'succeeded' | 'failed' | 'rolled-back'>;
  reason: string | null;
}

/** A finished real deployment, as the DORA figures read it. */
export interface FinishedRun {
  id: string;
  status: Extract<DeploymentStatus, 'succeeded' | 'failed' | 'rolled-back'>;
  finishedAt: string;
  committedAt: string | null;
  cancelled: boolean;
}

/**
 * Deployments the engine runs (`source: portal`), their claims, stages and
 * log lines. Shares the `deployments` table with the sample history, which
 * it never claims, counts or returns as a real deployment.
 */
export interface DeploymentRunsStore {
  /**
   * Queues a run as `pending`, with `inTransaction` (its audit event) in
   * the same transaction. Throws ConflictError while another run of the same
   * entity and environment is pending or in progress.
   */
  createRun(
    run: NewDeploymentRun,
    inTransaction?: InTransaction,
  ): Promise<void>;

  getRun(id: string): Promise<StoredRun | undefined>;

  /** The unfinished run of an entity in an environment, if any. */
  getActiveRun(
    entityRef: string,
    environment: string,
  ): Promise<StoredRun | undefined>;

  /** The real run of an entity in an environment that was queued last, if any. */
  getLatestRun(
    entityRef: string,
    environment: string,
  ): Promise<StoredRun | undefined>;

  /** Real succeeded runs of an entity in an environment, last finished first. */
  listSucceeded(
    entityRef: string,
    environment: string,
    options: { limit: number },
  ): Promise<StoredRun[]>;

  /**
   * Claims the oldest run that is pending, or in progress under a runner
   * whose heartbeat is older than `staleBefore` and with fewer than
   * `maxAttempts` attempts. Of several runners asking at once, exactly one
   * gets each run.
   */
  claimNext(options: {
    owner: string;
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
  }): Promise<RunClaim | undefined>;

  /**
   * Ends stale runs that used up their attempts as `failed` with an
   * "interrupted" reason, each with `inTransaction`; returns them.
   */
  expireStale(options: {
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
    inTransaction?: (
      trx: Parameters<InTransaction>[0],
      run: StoredRun,
    ) => Promise<void>;
  }): Promise<StoredRun[]>;

  /**
   * Renews the claim's heartbeat. `owned: false` when the claim was lost
   * (another runner took over); `cancelRequestedBy` once a cancel was asked.
   */
  heartbeat(
    claim: RunClaim,
    now: Date,
  ): Promise<{ owned: boolean; cancelRequestedBy: string | null }>;

  /** Gives the run up at once (shutdown): the next poll anywhere resumes it. */
  release(claim: RunClaim): Promise<void>;

  /**
   * Records the outcome with `inTransaction`; false (and nothing written)
   * when the claim was lost or the run had finished already.
   */
  finishRun(
    claim: RunClaim,
    outcome: RunOutcome,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean>;

  /**
   * A pending run is ended at once as failed (`cancelled`); a running one is
   * flagged for its runner (`requested`, also when it was flagged already).
   * Throws ConflictError when it has finished.
   */
  requestCancel(
    id: string,
    by: string,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<'cancelled' | 'requested'>;

  /** Adds a running stage; returns its seq. */
  startStage(claim: RunClaim, name: string, now: Date): Promise<number>;

  finishStage(
    deploymentId: string,
    seq: number,
    result: { status: 'succeeded' | 'failed'; error: string | null },
    now: Date,
  ): Promise<void>;

  /** Ends stages still marked running (an earlier attempt's) as failed. */
  failRunningStages(
    deploymentId: string,
    error: string,
    now: Date,
  ): Promise<void>;

  listStages(deploymentId: string): Promise<DeploymentStage[]>;

  /** The highest log seq of a run, 0 when it has none. */
  lastLogSeq(deploymentId: string): Promise<number>;

  /** Stores lines; a (deployment, seq) already stored is left as it is. */
  appendLogs(deploymentId: string, lines: DeploymentLogLine[]): Promise<void>;

  /** Lines with seq greater than `after`, oldest first. */
  readLogs(
    deploymentId: string,
    options: { after: number; limit: number },
  ): Promise<DeploymentLogLine[]>;

  /** Real runs of an entity in an environment that finished at or after `since`. */
  listFinished(
    entityRef: string,
    environment: string,
    since: Date,
  ): Promise<FinishedRun[]>;
}
