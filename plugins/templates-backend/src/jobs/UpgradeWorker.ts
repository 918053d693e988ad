import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import type {
  UpgradeOutcome,
  UpgradeResult,
} from '@paved-road/plugin-templates-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type {
  StoredUpgradeJob,
  UpgradeClaim,
  UpgradeFinish,
  UpgradeStore,
} from '../database/UpgradeStore';

/** Runs one upgrade: render, commit, merge, publish (see src/upgrade). */
export interface UpgradeJobRunner {
  run(
    job: StoredUpgradeJob,
    options: {
      answers: Record<string, unknown>;
      author: { name: string; email: string };
      /** Throws once this worker lost the job, so the runner stops. */
      heartbeat: () => Promise<void>;
    },
  ): Promise<{ outcome: UpgradeOutcome; result: UpgradeResult }>;
}

export interface AuditQueue {
  enqueue(trx: Knex.Transaction, event: AuditEventInput): Promise<void>;
}

export type UpgradeWorkerConfig = {
  /** Jobs one replica runs at once. */
  concurrency: number;
  /** A running job whose worker has not beaten for this long is resumed. */
  staleAfterMs: number;
  /** Claims before a job that keeps dying ends as failed. */
  maxAttempts: number;
  heartbeatMs: number;
};

/** How long a shutdown waits for running jobs to reach a heartbeat. */
const STOP_TIMEOUT_MS = 15_000;

class ClaimLostError extends Error {
  name = 'ClaimLostError';
}

/**
 * Runs upgrade jobs on this replica. Jobs are claimed through the database,
 * so of any number of replicas each job runs on one; a replica that dies
 * leaves its job stale and another resumes it (the runner recognises the
 * steps already done), up to `maxAttempts` times.
 */
export class UpgradeWorker {
  readonly owner: string;
  private readonly running = new Map<string, Promise<void>>();
  private readonly claims = new Map<string, UpgradeClaim>();
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: {
      store: UpgradeStore;
      runner: UpgradeJobRunner;
      audit: AuditQueue;
      notifications?: NotificationService;
      logger: LoggerService;
      config: UpgradeWorkerConfig;
      now?: () => Date;
    },
  ) {
    this.owner = `${os.hostname()}:${process.pid}:${randomUUID()}`;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Claims what this replica has room for; the scheduler calls it. */
  poll(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.polling) {
      this.polling = this.claimAll().finally(() => {
        this.polling = undefined;
      });
    }
    return this.polling;
  }

  /** Polls now, e.g. right after this replica queued a job. */
  wake(): void {
    this.poll().catch(error =>
      this.options.logger.error(`Upgrade worker poll failed: ${error}`),
    );
  }

  /** Resolves when every job this replica runs has ended. */
  async idle(): Promise<void> {
    await this.polling;
    while (this.running.size > 0) {
      await Promise.all(this.running.values());
    }
  }

  /**
   * Stops claiming; each running job stops at its next heartbeat and is
   * handed back, so another replica (or this one after its restart)
   * resumes it at once instead of after the stale timeout.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.polling;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>(resolve => {
        timeout = setTimeout(resolve, STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timeout);
    // A runner stuck in one long step: its claim goes back all the same.
    await Promise.all(
      [...this.claims.values()].map(claim => this.options.store.release(claim)),
    );
  }

  private async claimAll(): Promise<void> {
    const { store, config } = this.options;
    const now = this.now();
    const staleBefore = new Date(now.getTime() - config.staleAfterMs);
    await store.expireStale({
      now,
      staleBefore,
      maxAttempts: config.maxAttempts,
      inTransaction: (trx, job) =>
        this.options.audit.enqueue(
          trx,
          finishedEvent(job, {
            status: 'failed',
            error: job.error ?? 'interrupted',
          }),
        ),
    });
    while (!this.stopped && this.running.size < config.concurrency) {
      const claim = await store.claimNext({
        owner: this.owner,
        now: this.now(),
        staleBefore,
        maxAttempts: config.maxAttempts,
      });
      if (!claim) return;
      this.claims.set(claim.jobId, claim);
      const done = this.execute(claim).finally(() => {
        this.running.delete(claim.jobId);
        this.claims.delete(claim.jobId);
        // Room again: the next queued job need not wait for the schedule.
        if (!this.stopped) this.wake();
      });
      this.running.set(claim.jobId, done);
    }
  }

  private async execute(claim: UpgradeClaim): Promise<void> {
    const { store, runner, logger, config } = this.options;
    const job = await store.getJob(claim.jobId);
    if (!job) return;
    let lost = false;
    const beat = async () => {
      if (lost || this.stopped) {
        throw new ClaimLostError(`Upgrade ${job.id} was handed back`);
      }
      lost = !(await store.heartbeat(claim, this.now()));
      if (lost) throw new ClaimLostError(`Upgrade ${job.id} was taken over`);
    };
    const timer = setInterval(() => {
      beat().catch(() => undefined);
    }, config.heartbeatMs);
    let finish: UpgradeFinish;
    try {
      const { outcome, result } = await runner.run(job, {
        answers: job.answers,
        author: job.author,
        heartbeat: beat,
      });
      finish = { status: 'succeeded', outcome, result };
    } catch (error) {
      if (error instanceof ClaimLostError || this.stopped) {
        logger.info(`Upgrade ${job.id} stopped here: ${error}`);
        if (this.stopped && !lost) await store.release(claim);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`Upgrade ${job.id} of ${job.entityRef} failed: ${message}`);
      finish = { status: 'failed', error: message.slice(0, 4000) };
    } finally {
      clearInterval(timer);
    }
    const finished = await store.finish(claim, finish, this.now(), trx =>
      this.options.audit.enqueue(trx, finishedEvent(job, finish)),
    );
    if (finished) {
      await this.notify(job, finish);
    }
  }

  private async notify(job: StoredUpgradeJob, finish: UpgradeFinish) {
    const { notifications, logger } = this.options;
    if (!notifications) return;
    const entity = parseEntityRef(job.entityRef);
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: job.requestedBy },
        payload: {
          title: `Upgrade of ${entity.name} to ${job.toVersion}: ${describe(
            finish,
          )}`,
          description:
            finish.status === 'failed'
              ? finish.error
              : finish.result.pullRequestUrl ??
                `Branch ${finish.result.branch}`,
          link: `/catalog/${entity.namespace}/${entity.kind}/${entity.name}`,
          severity: finish.status === 'succeeded' ? 'normal' : 'high',
          topic: 'template-upgrades',
          scope: `template-upgrade:${job.id}`,
        },
      });
    } catch (error) {
      logger.warn(
        `Could not notify ${job.requestedBy} of upgrade ${job.id}: ${error}`,
      );
    }
  }
}

function describe(finish: UpgradeFinish): string {
  if (finish.status === 'failed') return 'failed';
  if (finish.outcome === 'no-change') return 'nothing to change';
  const count = finish.result.conflicts.length;
  return count
    ? `${count} conflict${count === 1 ? '' : 's'} to resolve`
    : 'ready to merge';
}

function finishedEvent(
  job: StoredUpgradeJob,
  finish: UpgradeFinish,
): AuditEventInput {
  const result = finish.result;
  return {
    id: randomUUID(),
    action: 'upgrade.finished',
    outcome: finish.status === 'succeeded' ? 'succeeded' : 'failed',
    actor: job.requestedBy,
    occurredAt: new Date().toISOString(),
    entityRef: job.entityRef,
    summary: `Upgrade from ${job.templateRef} ${job.fromVersion} to ${
      job.toVersion
    }: ${describe(finish)}`.slice(0, 1000),
    details: {
      jobId: job.id,
      ...(job.batchId ? { batchId: job.batchId } : {}),
      fromVersion: job.fromVersion,
      toVersion: job.toVersion,
      ...(finish.status === 'succeeded'
        ? { outcome: finish.outcome }
        : { error: finish.error }),
      ...(result
        ? {
            branch: result.branch,
            commit: result.commit,
            templateCommit: result.templateCommit,
            ...(result.pullRequestUrl
              ? { pullRequestUrl: result.pullRequestUrl }
              : {}),
            conflicts: result.conflicts.map(c => c.path),
          }
        : {}),
    },
  };
}
