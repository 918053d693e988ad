import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Budget, BudgetScope } from '@paved-road/plugin-costs-common';
import { DateTime } from 'luxon';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { DatabaseRollupStore } from '../rollups/DatabaseRollupStore';
import { AlertKey, DatabaseBudgetStore } from './DatabaseBudgetStore';
import { monthOf, round2, runRateForecast } from './forecast';

/** Days a day's cost is compared with. */
export const TRAILING_DAYS = 7;
/** A day costing this many times its trailing average is a spike. */
export const DEFAULT_SPIKE_FACTOR = 2;

export interface AlertSummary {
  sent: AlertKey[];
  /** Alerts due but already sent, by this or another replica. */
  alreadySent: number;
  failed: number;
}

/**
 * Checks every budget and tells the business unit that owns it when its
 * forecast crosses the budget (once a month) or yesterday cost more than
 * `spikeFactor` times the trailing seven-day average (once per day). Each
 * alert is recorded before it is sent, under a key only one replica can
 * insert; a failed send removes its record so the next run tries again.
 */
export class BudgetAlerts {
  constructor(
    private readonly options: {
      budgets: DatabaseBudgetStore;
      rollups: DatabaseRollupStore;
      dimensions: DatabaseDimensionsStore;
      notifications: NotificationService;
      logger: LoggerService;
      spikeFactor: number;
      /** Where the notification links to, e.g. `/costs`. */
      explorerPath: string;
      now: () => Date;
    },
  ) {}

  async check(): Promise<AlertSummary> {
    const { budgets, rollups } = this.options;
    const summary: AlertSummary = { sent: [], alreadySent: 0, failed: 0 };
    const all = await budgets.listBudgets();
    if (all.length === 0) {
      return summary;
    }
    const now = this.options.now();
    const month = monthOf(now);
    const today = DateTime.fromISO(month.today, { zone: 'utc' });
    const spikeDay = today.minus({ days: 1 }).toISODate()!;
    const trailingFrom = today.minus({ days: TRAILING_DAYS + 1 }).toISODate()!;
    const range = {
      from: trailingFrom < month.from ? trailingFrom : month.from,
      to: month.today,
    };

    // Two aggregate queries, whatever the number of budgets
    const daily = new Map<string, Map<string, number>>();
    for (const scope of ['cost-center', 'business-unit'] as const) {
      if (!all.some(b => b.scope === scope)) {
        continue;
      }
      for (const row of await rollups.dailyByScope({ groupBy: scope, range })) {
        const id = `${scope}|${row.key}|${row.currency}`;
        const days = daily.get(id) ?? new Map<string, number>();
        days.set(row.date, (days.get(row.date) ?? 0) + row.amount);
        daily.set(id, days);
      }
    }

    for (const budget of all) {
      const days =
        daily.get(`${budget.scope}|${budget.key}|${budget.currency}`) ??
        new Map<string, number>();
      let monthToDate = 0;
      for (const [date, amount] of days) {
        if (date >= month.from) {
          monthToDate += amount;
        }
      }
      monthToDate = round2(monthToDate);
      const forecast = runRateForecast(
        monthToDate,
        month.dayOfMonth,
        month.daysInMonth,
      );
      if (forecast > budget.amount || monthToDate > budget.amount) {
        await this.alert(summary, budget, {
          key: {
            scope: budget.scope,
            key: budget.key,
            period: month.month,
            kind: 'forecast-over',
          },
          title: `${label(budget.scope, budget.key)}: forecast ${money(
            forecast,
            budget.currency,
          )} is over the budget of ${money(budget.amount, budget.currency)}`,
          description: `Month to date ${money(monthToDate, budget.currency)} (${
            month.month
          }); at this rate the month ends at ${money(
            forecast,
            budget.currency,
          )}.`,
          details: { monthToDate, forecast, budget: budget.amount },
        });
      }

      let trailing = 0;
      for (let i = 2; i <= TRAILING_DAYS + 1; i++) {
        trailing += days.get(today.minus({ days: i }).toISODate()!) ?? 0;
      }
      const average = trailing / TRAILING_DAYS;
      const dayCost = round2(days.get(spikeDay) ?? 0);
      if (average > 0 && dayCost > average * this.options.spikeFactor) {
        await this.alert(summary, budget, {
          key: {
            scope: budget.scope,
            key: budget.key,
            period: spikeDay,
            kind: 'daily-spike',
          },
          title: `${label(budget.scope, budget.key)}: ${spikeDay} cost ${money(
            dayCost,
            budget.currency,
          )}, ${round2(dayCost / average)}× its 7-day average`,
          description: `The seven days before averaged ${money(
            round2(average),
            budget.currency,
          )} a day.`,
          details: {
            dayCost,
            average: round2(average),
            factor: this.options.spikeFactor,
          },
        });
      }
    }
    return summary;
  }

  private async alert(
    summary: AlertSummary,
    budget: Budget,
    alert: {
      key: AlertKey;
      title: string;
      description: string;
      details: object;
    },
  ) {
    const { budgets, notifications, logger } = this.options;
    const recipient = await this.recipient(budget.scope, budget.key);
    if (!recipient) {
      logger.warn(
        `Budget alert for ${budget.scope} ${budget.key} not sent: no business unit in the catalog owns it`,
      );
      return;
    }
    // Insert first: only the replica whose insert wins sends
    if (!(await budgets.claimAlert(alert.key, alert.details))) {
      summary.alreadySent += 1;
      return;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: recipient },
        payload: {
          title: alert.title,
          description: alert.description,
          link: this.link(budget),
          severity: alert.key.kind === 'forecast-over' ? 'high' : 'normal',
          topic: 'costs-budget',
          scope: `costs-budget:${budget.scope}:${budget.key}:${alert.key.kind}:${alert.key.period}`,
        },
      });
      summary.sent.push(alert.key);
    } catch (error) {
      summary.failed += 1;
      await budgets.releaseAlert(alert.key);
      logger.warn(
        `Budget alert for ${budget.scope} ${
          budget.key
        } not sent, will retry: ${stringifyError(error)}`,
      );
    }
  }

  private async recipient(scope: BudgetScope, key: string) {
    if (scope === 'business-unit') {
      return key;
    }
    return this.options.dimensions.getCostCenterBusinessUnit(key);
  }

  private link(budget: Budget) {
    const params = new URLSearchParams({
      groupBy: budget.scope === 'cost-center' ? 'team' : 'cost-center',
      filter: `${budget.scope}:${budget.key}`,
    });
    return `${this.options.explorerPath}?${params}`;
  }
}

function label(scope: BudgetScope, key: string) {
  return scope === 'cost-center'
    ? `Cost center ${key}`
    : `Business unit ${key}`;
}

function money(amount: number, currency: string) {
  return `${amount.toFixed(2)} ${currency}`;
}
