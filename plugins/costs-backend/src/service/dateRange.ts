import { InputError } from '@backstage/errors';
import { DateTime } from 'luxon';
import { z } from 'zod';

/** Days covered when the request names no range, today included. */
export const DEFAULT_RANGE_DAYS = 30;
/** Longest range one request may ask for, both ends included. */
export const MAX_RANGE_DAYS = 400;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const querySchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
});

/** An inclusive range of UTC days. */
export interface DateRange {
  from: string;
  to: string;
}

/**
 * Reads `from` / `to` (`YYYY-MM-DD`, inclusive) from a query. A missing `to`
 * is today (UTC); a missing `from` is `DEFAULT_RANGE_DAYS` days up to `to`.
 * Errors name the offending field.
 */
export function parseDateRange(query: unknown, now: Date): DateRange {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'query';
    throw new InputError(`${field} must be a single date YYYY-MM-DD`);
  }
  const to = parsed.data.to
    ? parseDay('to', parsed.data.to)
    : DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
  const from = parsed.data.from
    ? parseDay('from', parsed.data.from)
    : to.minus({ days: DEFAULT_RANGE_DAYS - 1 });

  if (from > to) {
    throw new InputError(
      `from (${from.toISODate()}) is after to (${to.toISODate()})`,
    );
  }
  const days = to.diff(from, 'days').days + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new InputError(
      `from: the range spans ${days} days, at most ${MAX_RANGE_DAYS} are allowed`,
    );
  }
  return { from: from.toISODate()!, to: to.toISODate()! };
}

function parseDay(field: string, value: string): DateTime {
  const day = DATE.test(value)
    ? DateTime.fromISO(value, { zone: 'utc' })
    : undefined;
  if (!day?.isValid) {
    throw new InputError(`${field} '${value}' is not a date YYYY-MM-DD`);
  }
  return day;
}

/** Every day from `from` to `to`, both included. */
export function eachDay(range: DateRange): string[] {
  const days: string[] = [];
  const end = DateTime.fromISO(range.to, { zone: 'utc' });
  for (
    let day = DateTime.fromISO(range.from, { zone: 'utc' });
    day <= end;
    day = day.plus({ days: 1 })
  ) {
    days.push(day.toISODate()!);
  }
  return days;
}

/** First day of the month `day` is in. */
export function startOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}
