import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { RollupGroupBy } from '@paved-road/plugin-costs-common';
import { isValidCostCenter } from '@paved-road/plugin-paved-road-common';
import { DateTime } from 'luxon';
import { DateRange, parseDateRange } from '../service/dateRange';

export const ROLLUP_GROUP_BYS: readonly RollupGroupBy[] = [
  'business-unit',
  'cost-center',
  'team',
  'service',
];

/** Narrows a roll-up to one business unit, cost center, team or service. */
export interface RollupFilter {
  dimension: RollupGroupBy;
  /** A lowercase entity ref, or a cost center. */
  value: string;
}

export interface RollupRequest {
  groupBy: RollupGroupBy;
  range: DateRange;
  /** The period of the same length just before `range`. */
  previous: DateRange;
  filter?: RollupFilter;
  currency?: string;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Reads `groupBy`, `from`, `to`, `filter` and `currency`; errors name the field. */
export function parseRollupRequest(
  query: Record<string, unknown>,
  now: Date,
): RollupRequest {
  const { groupBy, filter, currency } = query;
  if (
    typeof groupBy !== 'string' ||
    !ROLLUP_GROUP_BYS.includes(groupBy as RollupGroupBy)
  ) {
    throw new InputError(
      `groupBy must be one of ${ROLLUP_GROUP_BYS.join(', ')}`,
    );
  }
  const range = parseDateRange({ from: query.from, to: query.to }, now);
  if (
    currency !== undefined &&
    (typeof currency !== 'string' || !CURRENCY.test(currency))
  ) {
    throw new InputError('currency must be an ISO 4217 code like EUR');
  }
  return {
    groupBy: groupBy as RollupGroupBy,
    range,
    previous: previousPeriod(range),
    filter: filter === undefined ? undefined : parseRollupFilter(filter),
    currency: currency as string | undefined,
  };
}

/** `business-unit:group:default/payments`, `cost-center:CC-1001`, … */
export function parseRollupFilter(value: unknown): RollupFilter {
  const text = typeof value === 'string' ? value : '';
  const separator = text.indexOf(':');
  const dimension = text.slice(0, separator) as RollupGroupBy;
  const rest = text.slice(separator + 1);
  if (separator < 0 || !ROLLUP_GROUP_BYS.includes(dimension) || !rest) {
    throw new InputError(
      `filter must be <dimension>:<value> with a dimension of ${ROLLUP_GROUP_BYS.join(
        ', ',
      )}, e.g. business-unit:group:default/payments`,
    );
  }
  if (dimension === 'cost-center') {
    if (!isValidCostCenter(rest)) {
      throw new InputError(
        `filter: '${rest}' is not a cost center like CC-1001`,
      );
    }
    return { dimension, value: rest };
  }
  try {
    const ref = parseEntityRef(rest, {
      defaultKind: dimension === 'service' ? 'component' : 'group',
      defaultNamespace: 'default',
    });
    return {
      dimension,
      value: stringifyEntityRef(ref).toLocaleLowerCase('en-US'),
    };
  } catch {
    throw new InputError(`filter: '${rest}' is not an entity ref`);
  }
}

/** The same number of days, ending the day before `range.from`. */
export function previousPeriod(range: DateRange): DateRange {
  const from = DateTime.fromISO(range.from, { zone: 'utc' });
  const to = DateTime.fromISO(range.to, { zone: 'utc' });
  const days = to.diff(from, 'days').days + 1;
  return {
    from: from.minus({ days }).toISODate()!,
    to: from.minus({ days: 1 }).toISODate()!,
  };
}
