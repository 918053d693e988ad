import {
  Budget,
  BudgetReport,
  BudgetScope,
  BudgetStatus,
} from '@paved-road/plugin-costs-common';
import { DateTime } from 'luxon';

/** Forecasts at or above this share of the budget are at risk. */
export const DEFAULT_AT_RISK_RATIO = 0.9;

/** `YYYY-MM`, its first day, today's day number and its length, in UTC. */
export function monthOf(now: Date) {
  const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  return {
    month: today.toFormat('yyyy-MM'),
    from: today.startOf('month').toISODate()!,
    today: today.toISODate()!,
    dayOfMonth: today.day,
    daysInMonth: today.daysInMonth!,
  };
}

/**
 * The month's total if it goes on as it went: month-to-date over the days
 * so far (today included) times the days of the month.
 */
export function runRateForecast(
  monthToDate: number,
  dayOfMonth: number,
  daysInMonth: number,
): number {
  return round2((monthToDate / dayOfMonth) * daysInMonth);
}

/**
 * `over` once the month-to-date or the forecast exceeds the budget,
 * `at-risk` when the forecast reaches `atRiskRatio` of it.
 */
export function budgetStatus(options: {
  monthToDate: number;
  forecast: number;
  budget: number | undefined;
  atRiskRatio: number;
}): BudgetStatus {
  const { monthToDate, forecast, budget, atRiskRatio } = options;
  if (budget === undefined) {
    return 'no-budget';
  }
  if (monthToDate > budget || forecast > budget) {
    return 'over';
  }
  return forecast >= budget * atRiskRatio ? 'at-risk' : 'on-track';
}

export function buildBudgetReport(options: {
  scope: BudgetScope;
  key: string;
  budget: Budget | undefined;
  /** Month-to-date per currency. */
  monthToDate: Map<string, number>;
  now: Date;
  defaultCurrency: string;
  atRiskRatio: number;
}): BudgetReport {
  const { scope, key, budget, now, atRiskRatio } = options;
  const month = monthOf(now);
  // A budget is compared with cost in its own currency only
  const currency =
    budget?.currency ??
    (options.monthToDate.size === 1
      ? [...options.monthToDate.keys()][0]
      : options.defaultCurrency);
  const monthToDate = round2(options.monthToDate.get(currency) ?? 0);
  const forecast = runRateForecast(
    monthToDate,
    month.dayOfMonth,
    month.daysInMonth,
  );
  return {
    scope,
    key,
    currency,
    month: month.month,
    monthToDate,
    forecast,
    budget: budget ?? null,
    status: budgetStatus({
      monthToDate,
      forecast,
      budget: budget?.amount,
      atRiskRatio,
    }),
  };
}

export function round2(amount: number): number {
  const rounded = Math.round(amount * 100) / 100;
  return Object.is(rounded, -0) ? 0 : rounded;
}
