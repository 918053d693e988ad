import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  DeploymentKind,
  DeploymentLogLine,
  DeploymentStage,
  DeploymentStageStatus,
  DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentRepository } from '@paved-road/plugin-deployments-node';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import {
  DeploymentRunsStore,
  FinishedRun,
  NewDeploymentRun,
  RunClaim,
  RunOutcome,
  StoredRun,
} from './DeploymentRunsStore';
import { InTransaction } from './DeploymentsStore';
import { isUniqueViolation, toIsoOrNull, toIsoString } from './values';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-deployments-backend',
  'migrations',
);

/** Real deployments; sample rows are never claimed, listed or counted. */
const SOURCE = 'portal';
const ACTIVE: DeploymentStatus[] = ['pending', 'in-progress'];
// Claim candidates read per poll; more only matter under contention.
const CLAIM_CANDIDATES = 5;

type Timestamp = Date | string | number;

type RunRow = {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  status: string;
  strategy: string;
  triggered_by: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  source: string;
  kind: string;
  ref: string | null;
  commit_sha: string | null;
  committed_at: Timestamp | null;
  previous_commit_sha: string | null;
  repository: string | null;
  settings: string | null;
  settings_version: number | null;
  reason: string | null;
  claimed_by: string | null;
  heartbeat_at: Timestamp | null;
  attempts: number;
  cancel_requested_by: string | null;
  cancel_requested_at: Timestamp | null;
};

type StageRow = {
  deployment_id: string;
  seq: number;
  attempt: number;
  name: string;
  status: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  error: string | null;
};

type LogRow = {
  deployment_id: string;
  seq: number;
  logged_at: Timestamp;
  line: string;
};

function toRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    status: row.status as DeploymentStatus,
    strategy: row.strategy,
    triggeredBy: row.triggered_by,
    startedAt: toIsoString(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    source: row.source === SOURCE ? 'portal' : 'sample',
    kind: row.kind as DeploymentKind,
    ref: row.ref,
    commitSha: row.commit_sha,
    committedAt: toIsoOrNull(row.committed_at),
    previousCommitSha: row.previous_commit_sha,
    // Written by createRun from typed values only.
    repository: row.repository
      ? (JSON.parse(row.repository) as DeploymentRepository)
      : null,
    settings: row.settings
      ? (JSON.parse(row.settings) as DeploymentSettings)
      : null,
    settingsVersion:
      row.settings_version === null ? null : Number(row.settings_version),
    reason: row.reason,
    attempts: Number(row.attempts),
    cancelRequestedBy: row.cancel_requested_by,
    cancelRequestedAt: toIsoOrNull(row.cancel_requested_at),
    claimedBy: row.claimed_by,
    heartbeatAt: toIsoOrNull(row.heartbeat_at),
  };
}

function toStage(row: StageRow): DeploymentStage {
  return {
    name: row.name,
    status: row.status as DeploymentStageStatus,
    attempt: Number(row.attempt),
    startedAt: toIsoString(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    error: row.error,
  };
}

/** {@link DeploymentRunsStore} on the plugin's own database. */
export class DatabaseDeploymentRunsStore implements DeploymentRunsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentRunsStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseDeploymentRunsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async createRun(
    run: NewDeploymentRun,
    inTransaction?: InTransaction,
  ): Promise<void> {
    try {
      await this.db.transaction(async trx => {
        await trx<RunRow>('deployments').insert({
          id: run.id,
          entity_ref: run.entityRef,
          environment: run.environment,
          version: run.commitSha,
          status: 'pending',
          strategy: run.settings.rollout.strategy,
          triggered_by: run.triggeredBy,
          started_at: new Date(run.requestedAt),
          finished_at: null,
          source: SOURCE,
          kind: run.kind,
          ref: run.ref,
          commit_sha: run.commitSha,
          committed_at: new Date(run.committedAt),
          previous_commit_sha: run.previousCommitSha,
          repository: JSON.stringify(run.repository),
          settings: JSON.stringify(run.settings),
          settings_version: run.settingsVersion,
          attempts: 0,
        });
        await inTransaction?.(trx);
      });
    } catch (error) {
      // The partial unique index on (entity_ref, environment) of unfinished
      // real runs decides between concurrent requests.
      if (isUniqueViolation(error)) {
        const active = await this.getActiveRun(run.entityRef, run.environment);
        throw new ConflictError(
          `A deployment of ${run.entityRef} to ${run.environment} is ${
            active ? `${active.status} (${active.id})` : 'running'
          }; wait for it to finish or cancel it`,
        );
      }
      throw error;
    }
  }

  async getRun(id: string): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>('deployments').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async getActiveRun(
    entityRef: string,
    environment: string,
  ): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>('deployments')
      .where({ entity_ref: entityRef, environment, source: SOURCE })
      .whereIn('status', ACTIVE)
      .first();
    return row ? toRun(row) : undefined;
  }

  async getLatestRun(
    entityRef: string,
    environment: string,
  ): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>('deployments')
      .where({ entity_ref: entityRef, environment, source: SOURCE })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? toRun(row) : undefined;
  }

  async listSucceeded(
    entityRef: string,
    environment: string,
    options: { limit: number },
  ): Promise<StoredRun[]> {
    const rows = await this.db<RunRow>('deployments')
      .where({
        entity_ref: entityRef,
        environment,
        source: SOURCE,
        status: 'succeeded',
      })
      .orderBy([
        { column: 'finished_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toRun);
  }

  /** Pending, or in progress under a runner that stopped beating. */
  private claimable(
    query: Knex.QueryBuilder,
    staleBefore: Date,
  ): Knex.QueryBuilder {
    return query.where(q =>
      q
        .where('status', 'pending')
        .orWhere(stale =>
          stale
            .where('status', 'in-progress')
            .where('heartbeat_at', '<', staleBefore),
        ),
    );
  }

  async claimNext(options: {
    owner: string;
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
  }): Promise<RunClaim | undefined> {
    const { owner, now, staleBefore, maxAttempts } = options;
    const candidates: Pick<RunRow, 'id' | 'status' | 'attempts'>[] =
      await this.claimable(
        this.db<RunRow>('deployments').where({ source: SOURCE }),
        staleBefore,
      )
        .where('attempts', '<', maxAttempts)
        .orderBy([
          { column: 'started_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(CLAIM_CANDIDATES)
        .select('id', 'status', 'attempts');

    for (const candidate of candidates) {
      const attempts = Number(candidate.attempts);
      // Compare-and-set on the attempt count: PostgreSQL re-checks the
      // WHERE after waiting for a concurrent claimer's row lock, SQLite runs
      // one writer at a time, so exactly one claimer updates the row.
      const updated = await this.claimable(
        this.db<RunRow>('deployments').where({
          id: candidate.id,
          attempts,
        }),
        staleBefore,
      ).update({
        status: 'in-progress',
        claimed_by: owner,
        heartbeat_at: now,
        attempts: attempts + 1,
      });
      if (updated === 1) {
        return {
          deploymentId: candidate.id,
          owner,
          attempt: attempts + 1,
          resumed: candidate.status === 'in-progress',
        };
      }
    }
    return undefined;
  }

  async expireStale(options: {
    now: Date;
    staleBefore: Date;
    maxAttempts: number;
    inTransaction?: (trx: Knex.Transaction, run: StoredRun) => Promise<void>;
  }): Promise<StoredRun[]> {
    const { now, staleBefore, maxAttempts } = options;
    const rows: RunRow[] = await this.db<RunRow>('deployments')
      .where({ source: SOURCE, status: 'in-progress' })
      .where('heartbeat_at', '<', staleBefore)
      .where('attempts', '>=', maxAttempts);
    const expired: StoredRun[] = [];
    for (const row of rows) {
      const reason = `interrupted: the backend running it stopped ${row.attempts} times`;
      const done = await this.db.transaction(async trx => {
        const updated = await trx<RunRow>('deployments')
          .where({
            id: row.id,
            status: 'in-progress',
            attempts: Number(row.attempts),
          })
          .where('heartbeat_at', '<', staleBefore)
          .update({ status: 'failed', reason, finished_at: now });
        if (updated !== 1) {
          return undefined;
        }
        const run = toRun({
          ...row,
          status: 'failed',
          reason,
          finished_at: now,
        });
        await options.inTransaction?.(trx, run);
        return run;
      });
      if (done) {
        await this.failRunningStages(row.id, 'interrupted', now);
        expired.push(done);
      }
    }
    return expired;
  }

  private owned(claim: RunClaim) {
    return this.db<RunRow>('deployments').where({
      id: claim.deploymentId,
      claimed_by: claim.owner,
      attempts: claim.attempt,
      status: 'in-progress',
    });
  }

  async heartbeat(
    claim: RunClaim,
    now: Date,
  ): Promise<{ owned: boolean; cancelRequestedBy: string | null }> {
    const updated = await this.owned(claim).update({ heartbeat_at: now });
    if (updated !== 1) {
      return { owned: false, cancelRequestedBy: null };
    }
    const row = await this.db<RunRow>('deployments')
      .where({ id: claim.deploymentId })
      .first('cancel_requested_by');
    return { owned: true, cancelRequestedBy: row?.cancel_requested_by ?? null };
  }

  async release(claim: RunClaim): Promise<void> {
    // The epoch is older than any staleBefore.
    await this.owned(claim).update({ heartbeat_at: new Date(0) });
  }

  async finishRun(
    claim: RunClaim,
    outcome: RunOutcome,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const updated = await this.owned(claim).transacting(trx).update({
        status: outcome.status,
        reason: outcome.reason,
        finished_at: now,
      });
      if (updated !== 1) {
        return false;
      }
      await inTransaction?.(trx);
      return true;
    });
  }

  async requestCancel(
    id: string,
    by: string,
    now: Date,
    inTransaction?: InTransaction,
  ): Promise<'cancelled' | 'requested'> {
    return this.db.transaction(async trx => {
      const cancelled = await trx<RunRow>('deployments')
        .where({ id, source: SOURCE, status: 'pending' })
        .update({
          status: 'failed',
          reason: `cancelled by ${by} before it started`,
          finished_at: now,
          cancel_requested_by: by,
          cancel_requested_at: now,
        });
      if (cancelled === 1) {
        await inTransaction?.(trx);
        return 'cancelled';
      }
      const requested = await trx<RunRow>('deployments')
        .where({ id, source: SOURCE, status: 'in-progress' })
        .whereNull('cancel_requested_by')
        .update({ cancel_requested_by: by, cancel_requested_at: now });
      if (requested === 1) {
        await inTransaction?.(trx);
        return 'requested';
      }
      const row = await trx<RunRow>('deployments').where({ id }).first();
      if (row?.source === SOURCE && row.status === 'in-progress') {
        // Asked already: the runner is on it.
        return 'requested';
      }
      if (!row) {
        throw new NotFoundError(`No deployment ${id}`);
      }
      throw new ConflictError(
        row.source === SOURCE
          ? `Deployment ${id} has finished (${row.status}); nothing to cancel`
          : `Deployment ${id} is sample history; nothing to cancel`,
      );
    });
  }

  async startStage(claim: RunClaim, name: string, now: Date): Promise<number> {
    return this.db.transaction(async trx => {
      const last = await trx<StageRow>('deployment_stages')
        .where({ deployment_id: claim.deploymentId })
        .max<{ seq: number | null }>('seq as seq')
        .first();
      const seq = Number(last?.seq ?? 0) + 1;
      await trx<StageRow>('deployment_stages').insert({
        deployment_id: claim.deploymentId,
        seq,
        attempt: claim.attempt,
        name,
        status: 'running',
        started_at: now,
        finished_at: null,
        error: null,
      });
      return seq;
    });
  }

  async finishStage(
    deploymentId: string,
    seq: number,
    result: { status: 'succeeded' | 'failed'; error: string | null },
    now: Date,
  ): Promise<void> {
    await this.db<StageRow>('deployment_stages')
      .where({ deployment_id: deploymentId, seq, status: 'running' })
      .update({ status: result.status, error: result.error, finished_at: now });
  }

  async failRunningStages(
    deploymentId: string,
    error: string,
    now: Date,
  ): Promise<void> {
    await this.db<StageRow>('deployment_stages')
      .where({ deployment_id: deploymentId, status: 'running' })
      .update({ status: 'failed', error, finished_at: now });
  }

  async listStages(deploymentId: string): Promise<DeploymentStage[]> {
    const rows = await this.db<StageRow>('deployment_stages')
      .where({ deployment_id: deploymentId })
      .orderBy('seq', 'asc');
    return rows.map(toStage);
  }

  async lastLogSeq(deploymentId: string): Promise<number> {
    const last = await this.db<LogRow>('deployment_logs')
      .where({ deployment_id: deploymentId })
      .max<{ seq: number | null }>('seq as seq')
      .first();
    return Number(last?.seq ?? 0);
  }

  async appendLogs(
    deploymentId: string,
    lines: DeploymentLogLine[],
  ): Promise<void> {
    // Keeps each insert well below SQLite's bound-variable limit.
    for (let i = 0; i < lines.length; i += 100) {
      await this.db<LogRow>('deployment_logs')
        .insert(
          lines.slice(i, i + 100).map(line => ({
            deployment_id: deploymentId,
            seq: line.seq,
            logged_at: new Date(line.at),
            line: line.line,
          })),
        )
        .onConflict(['deployment_id', 'seq'])
        .ignore();
    }
  }

  async readLogs(
    deploymentId: string,
    options: { after: number; limit: number },
  ): Promise<DeploymentLogLine[]> {
    const rows = await this.db<LogRow>('deployment_logs')
      .where({ deployment_id: deploymentId })
      .where('seq', '>', options.after)
      .orderBy('seq', 'asc')
      .limit(options.limit);
    return rows.map(row => ({
      seq: Number(row.seq),
      at: toIsoString(row.logged_at),
      line: row.line,
    }));
  }

  async listFinished(
    entityRef: string,
    environment: string,
    since: Date,
  ): Promise<FinishedRun[]> {
    const rows: RunRow[] = await this.db<RunRow>('deployments')
      .where({ entity_ref: entityRef, environment, source: SOURCE })
      .whereIn('status', ['succeeded', 'failed', 'rolled-back'])
      .where('finished_at', '>=', since)
      .orderBy([
        { column: 'finished_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(row => ({
      id: row.id,
      status: row.status as FinishedRun['status'],
      finishedAt: toIsoString(row.finished_at!),
      committedAt: toIsoOrNull(row.committed_at),
      cancelled: row.cancel_requested_by !== null,
    }));
  }
}
