import { InputError } from '@backstage/errors';
import {
  RollupDailyResponse,
  RollupItem,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { eachDay } from '../service/dateRange';
import { DailyRollupRow, RollupRow } from './DatabaseRollupStore';
import { RollupRequest } from './rollupRequest';

/**
 * The currency of a roll-up: the requested one, else the only one in the
 * data, else the default. Amounts in different currencies are never added.
 */
export function rollupCurrency(
  found: Iterable<string>,
  requested: string | undefined,
  fallback: string,
): string {
  if (requested) {
    return requested;
  }
  const currencies = [...new Set(found)].sort();
  if (currencies.length > 1) {
    throw new InputError(
      `currency: costs are in ${currencies.join(
        ', ',
      )}; pass currency= to choose one`,
    );
  }
  return currencies[0] ?? fallback;
}

export function buildRollupResponse(options: {
  request: RollupRequest;
  rows: RollupRow[];
  defaultCurrency: string;
}): RollupResponse {
  const { request, rows, defaultCurrency } = options;
  const currency = rollupCurrency(
    rows.map(r => r.currency),
    request.currency,
    defaultCurrency,
  );
  const items: RollupItem[] = [];
  const unallocated = { total: 0, previousTotal: 0 };
  for (const row of rows) {
    if (row.currency !== currency) {
      continue;
    }
    if (row.key === null) {
      unallocated.total = round(unallocated.total + row.total);
      unallocated.previousTotal = round(
        unallocated.previousTotal + row.previousTotal,
      );
      continue;
    }
    const isEntity = request.groupBy !== 'cost-center';
    items.push({
      key: row.key,
      entityRef: isEntity ? row.key : null,
      title: row.title ?? (isEntity ? nameOf(row.key) : row.key),
      total: row.total,
      previousTotal: row.previousTotal,
    });
  }
  items.sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));

  return {
    currency,
    groupBy: request.groupBy,
    filter: request.filter
      ? `${request.filter.dimension}:${request.filter.value}`
      : null,
    from: request.range.from,
    to: request.range.to,
    previousFrom: request.previous.from,
    previousTo: request.previous.to,
    items,
    unallocated,
  };
}

export function buildRollupDailyResponse(options: {
  request: RollupRequest;
  keys: string[];
  rows: DailyRollupRow[];
  defaultCurrency: string;
}): RollupDailyResponse {
  const { request, keys, rows, defaultCurrency } = options;
  const currency = rollupCurrency(
    rows.map(r => r.currency),
    request.currency,
    defaultCurrency,
  );
  const days = eachDay(request.range);
  const index = new Map(days.map((day, i) => [day, i]));
  const series = new Map<string, RollupDailyResponse['series'][number]>();
  const seriesOf = (kind: DailyRollupRow['kind'], key: string) => {
    const id = `${kind}\u0000${key}`;
    let entry = series.get(id);
    if (!entry) {
      entry = { key, kind, amounts: days.map(() => 0) };
      series.set(id, entry);
    }
    return entry;
  };
  // Requested keys first and in order, even without cost
  for (const key of keys) {
    seriesOf('group', key);
  }
  for (const row of rows) {
    const day = index.get(row.date);
    if (row.currency !== currency || day === undefined) {
      continue;
    }
    const key = row.kind === 'group' ? row.key! : row.kind;
    const entry = seriesOf(row.kind, key);
    entry.amounts[day] = round(entry.amounts[day] + row.amount);
  }
  seriesOf('unallocated', 'unallocated');

  const order = { group: 0, other: 1, unallocated: 2 };
  return {
    currency,
    from: request.range.from,
    to: request.range.to,
    days,
    series: [...series.values()].sort((a, b) => order[a.kind] - order[b.kind]),
  };
}

/** `group:default/payments` → `payments`: a readable fallback title. */
function nameOf(entityRef: string): string {
  return entityRef.slice(entityRef.indexOf('/') + 1);
}

function round(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}
