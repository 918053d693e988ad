import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  AuditAction,
  AuditEvent,
  AuditOutcome,
} from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import {
  AuditCursor,
  AuditEventFilter,
  AuditStore,
  NewAuditEvent,
} from './AuditStore';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-paved-road-backend',
  'migrations',
);

const TABLE = 'paved_road_audit_events';

type EventRow = {
  id: string;
  action: string;
  outcome: string;
  actor: string;
  occurred_at: Date | string | number;
  entity_ref: string | null;
  owner: string | null;
  business_unit: string | null;
  cost_center: string | null;
  summary: string;
  details: string;
  writer: string;
  received_at: Date | string | number;
};

/** Knex-backed {@link AuditStore}, on SQLite or PostgreSQL. */
export class DatabaseAuditStore implements AuditStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAuditStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseAuditStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async insert(
    event: NewAuditEvent,
  ): Promise<{ event: AuditEvent; created: boolean }> {
    try {
      await this.db<EventRow>(TABLE).insert({
        id: event.id,
        action: event.action,
        outcome: event.outcome,
        actor: event.actor,
        occurred_at: new Date(event.occurredAt),
        entity_ref: event.entityRef,
        owner: event.owner,
        business_unit: event.businessUnit,
        cost_center: event.costCenter,
        summary: event.summary,
        details: JSON.stringify(event.details),
        writer: event.writer,
        received_at: new Date(),
      });
      return { event: withoutWriter(event), created: true };
    } catch (error) {
      // Another delivery of the same event won: report what is stored
      const existing = await this.db<EventRow>(TABLE)
        .where({ id: event.id })
        .first();
      if (!existing) {
        throw error;
      }
      return { event: toEvent(existing), created: false };
    }
  }

  async list(
    filter: AuditEventFilter,
    page: { limit: number; after?: AuditCursor },
  ): Promise<{ items: AuditEvent[]; next?: AuditCursor }> {
    const query = this.db<EventRow>(TABLE)
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(page.limit + 1);
    const equals = {
      entity_ref: filter.entityRef,
      actor: filter.actor,
      business_unit: filter.businessUnit,
      cost_center: filter.costCenter,
      action: filter.action,
      outcome: filter.outcome,
    };
    for (const [column, value] of Object.entries(equals)) {
      if (value !== undefined) {
        query.where(column, value);
      }
    }
    if (filter.from) {
      query.where('occurred_at', '>=', filter.from);
    }
    if (filter.to) {
      query.where('occurred_at', '<', filter.to);
    }
    const after = page.after;
    if (after) {
      query.where(q =>
        q
          .where('occurred_at', '<', after.occurredAt)
          .orWhere(q2 =>
            q2
              .where('occurred_at', '=', after.occurredAt)
              .where('id', '<', after.id),
          ),
      );
    }
    const rows = await query;
    const items = rows.slice(0, page.limit).map(toEvent);
    const last = items[items.length - 1];
    return rows.length > page.limit && last
      ? { items, next: { occurredAt: new Date(last.occurredAt), id: last.id } }
      : { items };
  }
}

function withoutWriter(event: NewAuditEvent): AuditEvent {
  const { writer: _writer, ...rest } = event;
  return { ...rest, occurredAt: new Date(event.occurredAt).toISOString() };
}

function toEvent(row: EventRow): AuditEvent {
  return {
    id: row.id,
    action: row.action as AuditAction,
    outcome: row.outcome as AuditOutcome,
    actor: row.actor,
    occurredAt: toDate(row.occurred_at).toISOString(),
    entityRef: row.entity_ref,
    owner: row.owner,
    businessUnit: row.business_unit,
    costCenter: row.cost_center,
    summary: row.summary,
    details: JSON.parse(row.details),
  };
}

// SQLite hands back epoch milliseconds, PostgreSQL a Date
function toDate(value: Date | string | number): Date {
  if (value instanceof Date) {
    return value;
  }
  return new Date(/^\d+$/.test(String(value)) ? Number(value) : value);
}
