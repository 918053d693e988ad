import { InputError } from '@backstage/errors';
import { DailyCostSum } from '../database/CostStore';
import { DateRange, eachDay, startOfMonth } from './dateRange';
import { ActualCostReport } from './entityReportExtras';

/**
 * Picks the currency a report is in. Amounts in different currencies are
 * never added up: when an entity has several, the caller must choose.
 */
export function chooseCurrency(options: {
  sums: DailyCostSum[];
  requested?: string;
  fallback: string;
}): string {
  const { sums, requested, fallback } = options;
  if (requested) {
    return requested;
  }
  const found = [...new Set(sums.map(s => s.currency))].sort();
  if (found.length > 1) {
    throw new InputError(
      `currency: costs are in ${found.join(
        ', ',
      )}; pass currency= to choose one`,
    );
  }
  return found[0] ?? fallback;
}

/**
 * Turns daily sums into a report: every day of the range present (zero when
 * nothing was charged) and totals rounded to the stored precision, so float
 * noise from adding many small amounts never shows.
 *
 * `sums` must cover the month of `range.to` too, for `monthToDate`.
 */
export function buildEntityCostReport(options: {
  entityRef: string;
  range: DateRange;
  currency: string;
  sums: DailyCostSum[];
  lastIngestedAt?: Date;
}): ActualCostReport {
  const { entityRef, range, currency, sums, lastIngestedAt } = options;
  const byDay = new Map<string, number>();
  for (const sum of sums) {
    if (sum.currency === currency) {
      byDay.set(sum.date, (byDay.get(sum.date) ?? 0) + sum.amount);
    }
  }

  const daily = eachDay(range).map(date => ({
    date,
    amount: round(byDay.get(date) ?? 0),
  }));
  const monthStart = startOfMonth(range.to);
  let monthToDate = 0;
  for (const [date, amount] of byDay) {
    if (date >= monthStart && date <= range.to) {
      monthToDate += amount;
    }
  }

  return {
    entityRef,
    currency,
    from: range.from,
    to: range.to,
    daily,
    total: round(daily.reduce((acc, d) => acc + d.amount, 0)),
    monthToDate: round(monthToDate),
    lastIngestedAt: lastIngestedAt?.toISOString() ?? null,
  };
}

// decimal(18, 6): six places is all the precision the store keeps
function round(amount: number): number {
  const rounded = Math.round(amount * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}
