import { RollupResponse } from '@paved-road/plugin-costs-common';
import { buildRollupResponse } from './buildRollup';
import { DatabaseRollupStore } from './DatabaseRollupStore';
import { parseRollupRequest } from './rollupRequest';

/** A roll-up function bound to its store, for the router and the actions. */
export type ReadRollup = (
  query: Record<string, unknown>,
) => Promise<RollupResponse>;

/**
 * Cost grouped by business unit, cost center, team or service over a date
 * range, from `groupBy`, `from`, `to`, `filter` and `currency` (as
 * `GET /rollups` takes them); errors name the field.
 */
export function createReadRollup(options: {
  rollups: DatabaseRollupStore;
  defaultCurrency: string;
  now: () => Date;
}): ReadRollup {
  const { rollups, defaultCurrency, now } = options;
  return async query => {
    const request = parseRollupRequest(query, now());
    const rows = await rollups.rollup(request);
    return buildRollupResponse({ request, rows, defaultCurrency });
  };
}
