import { DatabaseService } from '@backstage/backend-plugin-api';
import { RollupGroupBy } from '@paved-road/plugin-costs-common';
import { Knex } from 'knex';
import { migrateCostsDatabase } from '../migrateCostsDatabase';
import { DateRange } from '../service/dateRange';
import { RollupFilter } from './rollupRequest';

/**
 * The group a billing row belongs to, per dimension. Rows carry the cost
 * center they were billed to; without one they take their service's. A
 * cost center listed by a business unit places the row in that unit, else
 * the service's owner chain does. Fixed SQL: no user input goes in here.
 */
const KEY: Record<RollupGroupBy, string> = {
  service: 'li.entity_ref',
  team: 'd.owner_ref',
  'cost-center': 'COALESCE(li.cost_center, d.cost_center)',
  'business-unit': 'COALESCE(cc.business_unit_ref, d.business_unit_ref)',
};

/** The joins each dimension needs; a service roll-up needs none. */
const JOINS: Record<RollupGroupBy, 0 | 1 | 2> = {
  service: 0,
  team: 1,
  'cost-center': 1,
  'business-unit': 2,
};

/** One group's sums; `key` null is what the dimension cannot place. */
export interface RollupRow {
  key: string | null;
  currency: string;
  total: number;
  previousTotal: number;
  /** The catalog's title of `key`, when it is an entity the catalog knows. */
  title: string | null;
}

export interface DailyRollupRow {
  /** `group` for a requested key, `other` for the rest, `unallocated`. */
  kind: 'group' | 'other' | 'unallocated';
  key: string | null;
  date: string;
  currency: string;
  amount: number;
}

/** Aggregates billing rows by the catalog's organisation, in SQL. */
export class DatabaseRollupStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRollupStore> {
    return new DatabaseRollupStore(
      await migrateCostsDatabase(options.database),
    );
  }

  /** For tests and the benchmark, on an already migrated client. */
  static fromClient(db: Knex): DatabaseRollupStore {
    return new DatabaseRollupStore(db);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Totals per group over `range` and over `previous`, in one query: one
   * scan of the date index covers both periods.
   */
  async rollup(options: {
    groupBy: RollupGroupBy;
    range: DateRange;
    previous: DateRange;
    filter?: RollupFilter;
    currency?: string;
  }): Promise<RollupRow[]> {
    const { groupBy, range, previous, filter, currency } = options;
    const key = KEY[groupBy];
    const aggregate = this.lineItems(groupBy, filter)
      .select(
        this.db.raw(`${key} as group_key`),
        'li.currency',
        this.db.raw(
          'SUM(CASE WHEN li.charge_date >= ? THEN li.amount ELSE 0 END) as total',
          [range.from],
        ),
        this.db.raw(
          'SUM(CASE WHEN li.charge_date < ? THEN li.amount ELSE 0 END) as previous_total',
          [range.from],
        ),
      )
      .whereBetween('li.charge_date', [previous.from, range.to])
      .groupByRaw(`${key}, li.currency`);
    if (filter) {
      aggregate.whereRaw(`${KEY[filter.dimension]} = ?`, [filter.value]);
    }
    if (currency) {
      aggregate.where('li.currency', currency);
    }

    const rows = await this.db
      .from(aggregate.as('agg'))
      .leftJoin('cost_entity_dimensions as t', 't.entity_ref', 'agg.group_key')
      .select('agg.*', 't.title');
    return rows.map(row => ({
      key: row.group_key ?? null,
      currency: row.currency,
      total: toAmount(row.total),
      previousTotal: toAmount(row.previous_total),
      title: row.title ?? null,
    }));
  }

  /**
   * Daily sums of the groups in `keys`, of every other group together and
   * of what the dimension cannot place, in one query.
   */
  async daily(options: {
    groupBy: RollupGroupBy;
    range: DateRange;
    keys: string[];
    filter?: RollupFilter;
    currency?: string;
  }): Promise<DailyRollupRow[]> {
    const { groupBy, range, keys, filter, currency } = options;
    const key = KEY[groupBy];
    const inKeys = keys.length
      ? `${key} IN (${keys.map(() => '?').join(', ')})`
      : '1 = 0';
    const query = this.lineItems(groupBy, filter)
      .select(
        this.db.raw(
          `CASE WHEN ${key} IS NULL THEN 'unallocated' WHEN ${inKeys} THEN 'group' ELSE 'other' END as bucket_kind`,
          keys,
        ),
        this.db.raw(`CASE WHEN ${inKeys} THEN ${key} END as bucket_key`, keys),
        'li.charge_date',
        'li.currency',
        this.db.raw('SUM(li.amount) as amount'),
      )
      .whereBetween('li.charge_date', [range.from, range.to])
      // Aliases no table has as a column: PostgreSQL resolves GROUP BY
      // names to input columns first
      .groupBy('bucket_kind', 'bucket_key', 'li.charge_date', 'li.currency');
    if (filter) {
      query.whereRaw(`${KEY[filter.dimension]} = ?`, [filter.value]);
    }
    if (currency) {
      query.where('li.currency', currency);
    }
    const rows = await query;
    return rows.map(row => ({
      kind: row.bucket_kind,
      key: row.bucket_key ?? null,
      date: row.charge_date,
      currency: row.currency,
      amount: toAmount(row.amount),
    }));
  }

  /**
   * Daily sums per cost center or business unit (the scopes of budgets),
   * for month-to-date, forecasts and alerts.
   */
  async dailyByScope(options: {
    groupBy: 'cost-center' | 'business-unit';
    range: DateRange;
    /** Only this cost center or business unit. */
    key?: string;
  }): Promise<
    Array<{ key: string; date: string; currency: string; amount: number }>
  > {
    const { groupBy, range } = options;
    const key = KEY[groupBy];
    const query = this.lineItems(groupBy);
    if (options.key !== undefined) {
      query.whereRaw(`${key} = ?`, [options.key]);
    }
    const rows = await query
      .select(
        this.db.raw(`${key} as group_key`),
        'li.charge_date',
        'li.currency',
        this.db.raw('SUM(li.amount) as amount'),
      )
      .whereBetween('li.charge_date', [range.from, range.to])
      .whereRaw(`${key} IS NOT NULL`)
      .groupByRaw(`${key}, li.charge_date, li.currency`);
    return rows.map(row => ({
      key: row.group_key,
      date: row.charge_date,
      currency: row.currency,
      amount: toAmount(row.amount),
    }));
  }

  private lineItems(groupBy: RollupGroupBy, filter?: RollupFilter) {
    const joins = Math.max(
      JOINS[groupBy],
      filter ? JOINS[filter.dimension] : 0,
    );
    const query = this.db('cost_line_items as li');
    if (joins >= 1) {
      query.leftJoin(
        'cost_entity_dimensions as d',
        'd.entity_ref',
        'li.entity_ref',
      );
    }
    if (joins >= 2) {
      query.leftJoin('cost_center_dimensions as cc', join =>
        join.on(
          'cc.cost_center',
          '=',
          this.db.raw('COALESCE(li.cost_center, d.cost_center)'),
        ),
      );
    }
    return query;
  }
}

// PostgreSQL returns decimal sums as strings; six places is all it stores
function toAmount(value: unknown): number {
  const rounded = Math.round(Number(value ?? 0) * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}
