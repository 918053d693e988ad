import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  UpgradeBatch,
  UpgradeJobStatus,
  UpgradeOutcome,
  UpgradeResult,
} from '@paved-road/plugin-templates-common';
import { Knex } from 'knex';
import {
  InTransaction,
  NewUpgradeJob,
  StoredUpgradeJob,
  UpgradeClaim,
  UpgradeFinish,
  UpgradeStore,
} from './UpgradeStore';
import { isUniqueViolation } from '@paved-road/plugin-paved-road-node';
import { toIsoString } from './values';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-templates-backend',
  'migrations',
);

const JOBS = 'template_upgrade_jobs';
const BATCHES = 'template_upgrade_batches';
// Claim candidates read per poll; more only matter under contention.
const CLAIM_CANDIDATES = 5;

type Timestamp = Date | string | number;

type JobRow = {
  id: string;
  entity_ref: string;
  template_ref: string;
  from_version: string;
  to_version: string;
  status: string;
  outcome: string | null;
  answers: string;
  requested_by: string;
  author_name: string;
  author_email: string;
  batch_id: string | null;
  attempts: number;
  claimed_by: string | null;
  heartbeat_at: Timestamp | null;
  result: string | null;
  error: string | null;
  merged_by: string | null;
  merged_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: Timestamp | null;
};

type BatchRow = {
  id: string;
  template_ref: string;
  to_version: string;
  requested_by: string;
  skipped: string;
  created_at: Timestamp;
};

function toJob(row: JobRow): StoredUpgradeJob {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    templateRef: row.template_ref,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    status: row.status as UpgradeJobStatus,
    ...(row.outcome ? { outcome: row.outcome as UpgradeOutcome } : {}),
    ...(row.batch_id ? { batchId: row.batch_id } : {}),
    requestedBy: row.requested_by,
    createdAt: toIsoString(row.created_at),
    ...(row.finished_at ? { finishedAt: toIsoString(row.finished_at) } : {}),
    // Written from typed values only.
    ...(row.result ? { result: JSON.parse(row.result) as UpgradeResult } : {}),
    ...(row.error ? { error: row.error } : {}),
    ...(row.merged_at ? { mergedAt: toIsoString(row.merged_at) } : {}),
    ...(row.merged_by ? { mergedBy: row.merged_by } : {}),
    answers: JSON.parse(row.answers) as Record<string, unknown>,
    author: { name: row.author_name, email: row.author_email },
    attempts: Number(row.attempts),
  };
}

function toRow(job: NewUpgradeJob, now: Date): JobRow {
  return {
    id: job.id,
    entity_ref: job.entityRef,
    template_ref: job.templateRef,
    from_version: job.fromVersion,
    to_version: job.toVersion,
    status: 'queued',
    outcome: null,
    answers: JSON.stringify(job.answers),
    requested_by: job.requestedBy,
    author_name: job.author.name,
    author_email: job.author.email,
    batch_id: job.batchId ?? null,
    attempts: 0,
    claimed_by: null,
    heartbeat_at: null,
    result: null,
    error: null,
    merged_by: null,
    merged_at: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

/** {@link UpgradeStore} on the plugin's own database. */
export class DatabaseUpgradeStore implements UpgradeStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseUpgradeStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseUpgradeStore(client);
  }

  private constructor(private readonly db: Knex) {}

  transaction<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  async createJob(
    job: NewUpgradeJob,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<{ job: StoredUpgradeJob; created: boolean }> {
    try {
      return await this.db.transaction(trx =>
        this.insertOrRequeue(trx, job, now, inTransaction),
      );
    } catch (error) {
      // Two requests raced past the lookup: the other one's job stands.
      if (isUniqueViolation(error)) {
        const existing = await this.db<JobRow>(JOBS)
          .where({ entity_ref: job.entityRef, to_version: job.toVersion })
          .first();
        if (existing) return { job: toJob(existing), created: false };
      }
      throw error;
    }
  }

  private async insertOrRequeue(
    trx: Knex.Transaction,
    job: NewUpgradeJob,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<{ job: StoredUpgradeJob; created: boolean }> {
    const existing = await trx<JobRow>(JOBS)
      .where({ entity_ref: job.entityRef, to_version: job.toVersion })
      .first();
    if (existing && existing.status !== 'failed') {
      return { job: toJob(existing), created: false };
    }
    const row = toRow(job, now);
    if (existing) {
      // A failed upgrade is asked for again: same job, fresh attempts.
      const { id: _id, created_at: _created, ...requeue } = row;
      await trx<JobRow>(JOBS)
        .where({ id: existing.id, status: 'failed' })
        .update({ ...requeue, id: existing.id } as Partial<JobRow>);
      await inTransaction?.(trx);
      const updated = await trx<JobRow>(JOBS)
        .where({ id: existing.id })
        .first();
      return { job: toJob(updated!), created: true };
    }
    await trx<JobRow>(JOBS).insert(row);
    await inTransaction?.(trx);
    return { job: toJob(row), created: true };
  }

  async createBatch(
    batch: Pick<
      UpgradeBatch,
      'id' | 'templateRef' | 'toVersion' | 'requestedBy' | 'skipped'
    >,
    jobs: NewUpgradeJob[],
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<UpgradeBatch> {
    await this.db.transaction(async trx => {
      await trx<BatchRow>(BATCHES).insert({
        id: batch.id,
        template_ref: batch.templateRef,
        to_version: batch.toVersion,
        requested_by: batch.requestedBy,
        skipped: JSON.stringify(batch.skipped),
        created_at: now,
      });
      for (const job of jobs) {
        const { job: stored, created } = await this.insertOrRequeue(
          trx,
          { ...job, batchId: batch.id },
          now,
        );
        // A job already queued or done joins the batch so it reports it.
        if (!created) {
          await trx<JobRow>(JOBS)
            .where({ id: stored.id })
            .update({ batch_id: batch.id });
        }
      }
      await inTransaction?.(trx);
    });
    return (await this.getBatch(batch.id))!;
  }

  async markMerged(
    id: string,
    by: string,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const updated = await trx<JobRow>(JOBS)
        .where({ id, status: 'succeeded', merged_at: null })
        .update({ merged_by: by, merged_at: now, updated_at: now });
      if (updated !== 1) return false;
      await inTransaction?.(trx);
      return true;
    });
  }

  async getJob(id: string): Promise<StoredUpgradeJob | undefined> {
    const row = await this.db<JobRow>(JOBS).where({ id }).first();
    return row ? toJob(row) : undefined;
  }

  async getBatch(id: string): Promise<UpgradeBatch | undefined> {
    const row = await this.db<BatchRow>(BATCHES).where({ id }).first();
    if (!row) return undefined;
    const jobs = await this.db<JobRow>(JOBS)
      .where({ batch_id: id })
      .orderBy('entity_ref');
    return {
      id: row.id,
      templateRef: row.template_ref,
      toVersion: row.to_version,
      requestedBy: row.requested_by,
      createdAt: toIsoString(row.created_at),
      skipped: JSON.parse(row.skipped),
      jobs: jobs.map(job => {
        const { answers: _a, author: _b, attempts: _c, ...rest } = toJob(job);
        return rest;
      }),
    };
  }

  async latestJobs(
    entityRefs: string[],
  ): Promise<Map<string, StoredUpgradeJob>> {
    const latest = new Map<string, StoredUpgradeJob>();
    // SQLite allows 999 bound variables per statement.
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db<JobRow>(JOBS)
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      for (const row of rows) latest.set(row.entity_ref, toJob(row));
    }
    return latest;
  }

  /** Queued, or running under a worker that stopped beating. */
  private claimable(query: Knex.QueryBuilder, staleBefore: Date) {
    return query.where(q =>
      q
        .where('status', 'queued')
        .orWhere(stale =>
          stale
            .where('status', 'running')
            .where('heartbeat_at', '<', staleBefore),
        ),
    );
  }

  async claimNext(options: {
    owner: string;
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
  }): Promise<UpgradeClaim | undefined> {
    const { owner, now, staleBefore, maxAttempts } = options;
    const candidates: Pick<JobRow, 'id' | 'attempts'>[] = await this.claimable(
      this.db<JobRow>(`${JOBS} as j`),
      staleBefore,
    )
      .where('attempts', '<', maxAttempts)
      // Not while another job of the project runs (a stale one is resumed
      // first: it is older).
      .whereNotExists(
        this.db(`${JOBS} as other`)
          .whereRaw('other.entity_ref = j.entity_ref')
          .whereRaw('other.id <> j.id')
          .where('other.status', 'running'),
      )
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(CLAIM_CANDIDATES)
      .select('id', 'attempts');

    for (const candidate of candidates) {
      const attempts = Number(candidate.attempts);
      // Compare-and-set on the attempt count: exactly one claimer updates.
      // The partial unique index refuses a second running job of a project
      // that another claimer started meanwhile.
      const updated = await this.claimable(
        this.db<JobRow>(JOBS).where({ id: candidate.id, attempts }),
        staleBefore,
      )
        .update({
          status: 'running',
          claimed_by: owner,
          heartbeat_at: now,
          updated_at: now,
          attempts: attempts + 1,
        })
        .catch(error => {
          if (isUniqueViolation(error)) return 0;
          throw error;
        });
      if (updated === 1) {
        return { jobId: candidate.id, owner, attempt: attempts + 1 };
      }
    }
    return undefined;
  }

  private owned(claim: UpgradeClaim, db: Knex | Knex.Transaction = this.db) {
    return db<JobRow>(JOBS).where({
      id: claim.jobId,
      claimed_by: claim.owner,
      attempts: claim.attempt,
      status: 'running',
    });
  }

  async heartbeat(claim: UpgradeClaim, now: Date): Promise<boolean> {
    return (await this.owned(claim).update({ heartbeat_at: now })) === 1;
  }

  async release(claim: UpgradeClaim): Promise<void> {
    // The epoch is older than any staleBefore.
    await this.owned(claim).update({ heartbeat_at: new Date(0) });
  }

  async finish(
    claim: UpgradeClaim,
    outcome: UpgradeFinish,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const updated = await this.owned(claim, trx).update({
        status: outcome.status,
        outcome: outcome.status === 'succeeded' ? outcome.outcome : null,
        result: outcome.result ? JSON.stringify(outcome.result) : null,
        error: outcome.status === 'failed' ? outcome.error : null,
        finished_at: now,
        updated_at: now,
      });
      if (updated !== 1) return false;
      await inTransaction?.(trx);
      return true;
    });
  }

  async expireStale(options: {
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
    inTransaction?: (
      trx: Knex.Transaction,
      job: StoredUpgradeJob,
    ) => Promise<void>;
  }): Promise<StoredUpgradeJob[]> {
    const { now, staleBefore, maxAttempts } = options;
    const rows: JobRow[] = await this.db<JobRow>(JOBS)
      .where({ status: 'running' })
      .where('heartbeat_at', '<', staleBefore)
      .where('attempts', '>=', maxAttempts);
    const expired: StoredUpgradeJob[] = [];
    for (const row of rows) {
      const error = `interrupted: the backend running it stopped ${row.attempts} times`;
      const job = await this.db.transaction(async trx => {
        const updated = await trx<JobRow>(JOBS)
          .where({ id: row.id, status: 'running', attempts: row.attempts })
          .where('heartbeat_at', '<', staleBefore)
          .update({
            status: 'failed',
            error,
            finished_at: now,
            updated_at: now,
          });
        if (updated !== 1) return undefined;
        const failed = toJob({
          ...row,
          status: 'failed',
          error,
          finished_at: now,
        });
        await options.inTransaction?.(trx, failed);
        return failed;
      });
      if (job) expired.push(job);
    }
    return expired;
  }
}
