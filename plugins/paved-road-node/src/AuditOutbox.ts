import {
  DatabaseService,
  LoggerService,
  SchedulerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import {
  PavedRoadAuditService,
  parseAuditEvent,
} from './PavedRoadAuditService';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-paved-road-node',
  'migrations',
);

/** Its own migrations table, so it lives beside the caller's migrations. */
export const AUDIT_OUTBOX_MIGRATIONS_TABLE =
  'paved_road_audit_outbox_migrations';
const TABLE = 'paved_road_audit_outbox';

const BATCH_SIZE = 50;
// One deliver() call sends at most this many batches, so a large backlog
// does not hold one scheduler run for long
const MAX_BATCHES = 20;
const MAX_BACKOFF_MS = 10 * 60_000;

type OutboxRow = {
  seq: number | string;
  event_id: string;
  payload: string;
  enqueued_at: number | string;
  attempts: number;
  next_attempt_at: number | string;
  last_error: string | null;
};

/**
 * How one {@link AuditOutbox.deliver} call went.
 *
 * @public
 */
export type AuditOutboxDeliveryResult = {
  delivered: number;
  failed: number;
};

/**
 * An outbox for audit events in the writer's own database: the event is
 * inserted in the same transaction as the change it records, so a rolled
 * back change leaves no event and a committed one always gets delivered.
 * Delivery is at least once; the audit backend stores an event id once.
 *
 * @public
 */
export class AuditOutbox {
  static async create(options: {
    database: DatabaseService;
    scheduler: SchedulerService;
    logger: LoggerService;
    audit: PavedRoadAuditService;
    /** Names the delivery task, `<pluginId>-audit-outbox`. */
    pluginId: string;
    /** Delivery task frequency; defaults to 2 seconds. */
    frequency?: { seconds: number };
  }): Promise<AuditOutbox> {
    const { database, scheduler, logger, audit, pluginId } = options;
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: AUDIT_OUTBOX_MIGRATIONS_TABLE,
      });
    }
    const outbox = new AuditOutbox(db, audit, logger);
    await scheduler.scheduleTask({
      id: `${pluginId}-audit-outbox`,
      scope: 'global',
      frequency: options.frequency ?? { seconds: 2 },
      timeout: { minutes: 2 },
      fn: async () => {
        await outbox.deliver();
      },
    });
    return outbox;
  }

  // deliver() calls in one process run one after another
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Knex,
    private readonly audit: PavedRoadAuditService,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Adds an event inside the caller's transaction (or directly, when given
   * the plain client). Throws `InputError` for an invalid event, so the
   * change is rolled back with it. Enqueuing the same event id twice keeps
   * the first.
   */
  async enqueue(
    trx: Knex | Knex.Transaction,
    event: AuditEventInput,
  ): Promise<void> {
    const parsed = parseAuditEvent(event);
    // The event happened now, not whenever it is delivered
    const payload = {
      ...parsed,
      occurredAt: parsed.occurredAt ?? new Date().toISOString(),
    };
    const now = Date.now();
    await trx<OutboxRow>(TABLE)
      .insert({
        event_id: payload.id,
        payload: JSON.stringify(payload),
        enqueued_at: now,
        attempts: 0,
        next_attempt_at: now,
      })
      .onConflict('event_id')
      .ignore();
  }

  /**
   * Sends due events, oldest first, and deletes each after the audit backend
   * accepted it. A failed event stays, with a growing delay before the next
   * attempt. Replicas on PostgreSQL claim disjoint batches.
   */
  deliver(): Promise<AuditOutboxDeliveryResult> {
    const run = this.queue.then(() => this.deliverAll());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Events not delivered yet, for tests and diagnostics. */
  async pendingCount(): Promise<number> {
    const [{ count }] = await this.db(TABLE).count({ count: '*' });
    return Number(count);
  }

  private async deliverAll(): Promise<AuditOutboxDeliveryResult> {
    const total = { delivered: 0, failed: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const batch = this.isPostgres()
        ? await this.db.transaction(trx => this.deliverBatch(trx, true))
        : await this.deliverBatch(this.db, false);
      total.delivered += batch.delivered;
      total.failed += batch.failed;
      if (batch.claimed < BATCH_SIZE) {
        break;
      }
    }
    return total;
  }

  private async deliverBatch(db: Knex | Knex.Transaction, lock: boolean) {
    const query = db<OutboxRow>(TABLE)
      .where('next_attempt_at', '<=', Date.now())
      .orderBy('seq', 'asc')
      .limit(BATCH_SIZE);
    // Rows stay locked until this transaction ends; another replica skips them
    const rows: OutboxRow[] = lock
      ? await query.forUpdate().skipLocked()
      : await query;

    let delivered = 0;
    let failed = 0;
    for (const row of rows) {
      try {
        await this.audit.record(JSON.parse(row.payload));
        await db(TABLE).where({ seq: row.seq }).delete();
        delivered += 1;
      } catch (error) {
        failed += 1;
        const attempts = row.attempts + 1;
        const message = stringifyError(error).slice(0, 1000);
        await db(TABLE)
          .where({ seq: row.seq })
          .update({
            attempts,
            last_error: message,
            next_attempt_at: Date.now() + backoffMs(attempts),
          });
        // The event id and the reason only: payloads stay out of logs
        this.logger.warn(
          `Audit event ${row.event_id} not delivered (attempt ${attempts}), will retry: ${message}`,
        );
      }
    }
    return { claimed: rows.length, delivered, failed };
  }

  private isPostgres() {
    return this.db.client.config.client === 'pg';
  }
}

/** 2 s, 4 s, 8 s, … up to 10 minutes. */
function backoffMs(attempts: number) {
  return Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);
}
