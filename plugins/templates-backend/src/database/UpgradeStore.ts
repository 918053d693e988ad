import type {
  UpgradeBatch,
  UpgradeJob,
  UpgradeOutcome,
  UpgradeResult,
} from '@paved-road/plugin-templates-common';
import type { Knex } from 'knex';

/** Work to do inside the transaction of a write, e.g. enqueue its audit event. */
export type InTransaction = (trx: Knex.Transaction) => Promise<void>;

/** A job as stored: what the API shows plus what the worker needs. */
export type StoredUpgradeJob = UpgradeJob & {
  /** Answers given with the request (overrides and new questions). */
  answers: Record<string, unknown>;
  author: { name: string; email: string };
  attempts: number;
};

export type NewUpgradeJob = Pick<
  StoredUpgradeJob,
  | 'id'
  | 'entityRef'
  | 'templateRef'
  | 'fromVersion'
  | 'toVersion'
  | 'answers'
  | 'requestedBy'
  | 'author'
  | 'batchId'
>;

/** A worker's hold on a job; writes under a lost claim are refused. */
export type UpgradeClaim = {
  jobId: string;
  owner: string;
  attempt: number;
};

export type UpgradeFinish =
  | { status: 'succeeded'; outcome: UpgradeOutcome; result: UpgradeResult }
  | { status: 'failed'; error: string; result?: UpgradeResult };

export interface UpgradeStore {
  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;

  /**
   * Queues an upgrade of a project to a version. The same project and
   * version again returns the existing job (`created: false`), except that
   * a failed one is queued again with the new request.
   */
  createJob(
    job: NewUpgradeJob,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<{ job: StoredUpgradeJob; created: boolean }>;

  /** A batch and its jobs, each as {@link UpgradeStore.createJob} would. */
  createBatch(
    batch: Pick<
      UpgradeBatch,
      'id' | 'templateRef' | 'toVersion' | 'requestedBy' | 'skipped'
    >,
    jobs: NewUpgradeJob[],
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<UpgradeBatch>;

  getJob(id: string): Promise<StoredUpgradeJob | undefined>;
  /** Records the merge of a succeeded job's branch; false if already merged. */
  markMerged(
    id: string,
    by: string,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean>;
  getBatch(id: string): Promise<UpgradeBatch | undefined>;
  /** The most recent job of each of these projects. */
  latestJobs(entityRefs: string[]): Promise<Map<string, StoredUpgradeJob>>;

  /**
   * Claims the oldest queued job, or a running one whose worker stopped
   * beating, that has attempts left and whose project has no other job
   * running: one claimer wins on any number of replicas.
   */
  claimNext(options: {
    owner: string;
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
  }): Promise<UpgradeClaim | undefined>;

  /** Renews the claim; false when it was lost (taken over or expired). */
  heartbeat(claim: UpgradeClaim, now: Date): Promise<boolean>;
  /** Hands a job back at once (the backend is stopping). */
  release(claim: UpgradeClaim): Promise<void>;
  /** Ends a job under its claim; false when the claim was lost. */
  finish(
    claim: UpgradeClaim,
    outcome: UpgradeFinish,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean>;
  /** Fails jobs whose workers died `maxAttempts` times ("interrupted"). */
  expireStale(options: {
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
    inTransaction?: (
      trx: Knex.Transaction,
      job: StoredUpgradeJob,
    ) => Promise<void>;
  }): Promise<StoredUpgradeJob[]>;
}
