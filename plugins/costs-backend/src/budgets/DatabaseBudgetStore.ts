import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  Budget,
  BudgetChange,
  BudgetScope,
} from '@paved-road/plugin-costs-common';
import { Knex } from 'knex';
import { migrateCostsDatabase } from '../migrateCostsDatabase';

type BudgetRow = {
  scope: BudgetScope;
  budget_key: string;
  amount: string | number;
  currency: string;
  message: string | null;
  updated_by: string;
  updated_at: Date | string | number;
};

type HistoryRow = {
  id: number | string;
  scope: BudgetScope;
  budget_key: string;
  previous_amount: string | number | null;
  previous_currency: string | null;
  amount: string | number;
  currency: string;
  message: string | null;
  changed_by: string;
  changed_at: Date | string | number;
};

/** What an alert is about; one alert per budget, period and kind. */
export interface AlertKey {
  scope: BudgetScope;
  key: string;
  /** `YYYY-MM` for forecasts, `YYYY-MM-DD` for daily spikes. */
  period: string;
  kind: 'forecast-over' | 'daily-spike';
}

/** Budgets, their history and the alerts sent for them. */
export class DatabaseBudgetStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseBudgetStore> {
    return new DatabaseBudgetStore(
      await migrateCostsDatabase(options.database),
    );
  }

  private constructor(private readonly db: Knex) {}

  async listBudgets(): Promise<Budget[]> {
    const rows = await this.db<BudgetRow>('cost_budgets').orderBy([
      'scope',
      'budget_key',
    ]);
    return rows.map(toBudget);
  }

  async getBudget(
    scope: BudgetScope,
    key: string,
  ): Promise<Budget | undefined> {
    const row = await this.db<BudgetRow>('cost_budgets')
      .where({ scope, budget_key: key })
      .first();
    return row ? toBudget(row) : undefined;
  }

  /**
   * Sets a budget and appends the change to its history, in one
   * transaction; `inTransaction` runs inside it (the audit event), so a
   * failure there leaves no change behind.
   */
  async setBudget(options: {
    scope: BudgetScope;
    key: string;
    amount: number;
    currency: string;
    message: string | null;
    actor: string;
    inTransaction: (
      trx: Knex.Transaction,
      change: { before: Budget | undefined; after: Budget },
    ) => Promise<void>;
  }): Promise<Budget> {
    const { scope, key, amount, currency, message, actor } = options;
    return this.db.transaction(async trx => {
      const current = trx<BudgetRow>('cost_budgets')
        .where({ scope, budget_key: key })
        .first();
      // Two changes at once: the second waits and records the first as before
      const beforeRow = this.isPostgres()
        ? await current.forUpdate()
        : await current;
      const before = beforeRow ? toBudget(beforeRow) : undefined;
      const now = new Date();
      const row: BudgetRow = {
        scope,
        budget_key: key,
        amount,
        currency,
        message,
        updated_by: actor,
        updated_at: now,
      };
      await trx('cost_budgets')
        .insert(row)
        .onConflict(['scope', 'budget_key'])
        .merge(['amount', 'currency', 'message', 'updated_by', 'updated_at']);
      await trx('cost_budget_history').insert({
        scope,
        budget_key: key,
        previous_amount: before?.amount ?? null,
        previous_currency: before?.currency ?? null,
        amount,
        currency,
        message,
        changed_by: actor,
        changed_at: now,
      });
      const after = toBudget(row);
      await options.inTransaction(trx, { before, after });
      return after;
    });
  }

  /** Runs `fn` in a transaction of the plugin's database (audit of a denial). */
  async withTransaction<T>(
    fn: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(fn);
  }

  /** Every change of a budget, newest first. */
  async history(scope: BudgetScope, key: string): Promise<BudgetChange[]> {
    const rows = await this.db<HistoryRow>('cost_budget_history')
      .where({ scope, budget_key: key })
      .orderBy('id', 'desc');
    return rows.map(row => ({
      scope: row.scope,
      key: row.budget_key,
      previousAmount:
        row.previous_amount === null ? null : Number(row.previous_amount),
      previousCurrency: row.previous_currency,
      amount: Number(row.amount),
      currency: row.currency,
      changedBy: row.changed_by,
      changedAt: toIso(row.changed_at),
      message: row.message,
    }));
  }

  /**
   * Records an alert before it is sent. Exactly one caller gets true for a
   * key, however many replicas and runs try: the primary key decides.
   */
  async claimAlert(alert: AlertKey, details: object): Promise<boolean> {
    const inserted = await this.db('cost_budget_alerts')
      .insert({
        scope: alert.scope,
        budget_key: alert.key,
        period: alert.period,
        kind: alert.kind,
        details: JSON.stringify(details),
        created_at: new Date(),
      })
      .onConflict(['scope', 'budget_key', 'period', 'kind'])
      .ignore()
      .returning('kind');
    return inserted.length === 1;
  }

  /** Forgets a claimed alert whose sending failed, so a later run retries. */
  async releaseAlert(alert: AlertKey): Promise<void> {
    await this.db('cost_budget_alerts')
      .where({
        scope: alert.scope,
        budget_key: alert.key,
        period: alert.period,
        kind: alert.kind,
      })
      .delete();
  }

  async listAlerts(): Promise<Array<AlertKey & { details: unknown }>> {
    const rows = await this.db('cost_budget_alerts').orderBy([
      'scope',
      'budget_key',
      'period',
      'kind',
    ]);
    return rows.map(r => ({
      scope: r.scope,
      key: r.budget_key,
      period: r.period,
      kind: r.kind,
      details: JSON.parse(r.details),
    }));
  }

  private isPostgres() {
    return this.db.client.config.client === 'pg';
  }
}

function toBudget(row: BudgetRow): Budget {
  return {
    scope: row.scope,
    key: row.budget_key,
    amount: Number(row.amount),
    currency: row.currency,
    updatedBy: row.updated_by,
    updatedAt: toIso(row.updated_at),
  };
}

// SQLite hands timestamps back as epoch milliseconds or strings
function toIso(value: Date | string | number): string {
  return new Date(value).toISOString();
}
