/** The periods the explorer offers. */
export const PERIODS = [
  { id: 'this-month', label: 'This month' },
  { id: 'last-30-days', label: 'Last 30 days' },
  { id: 'last-90-days', label: 'Last 90 days' },
  { id: 'custom', label: 'Custom' },
] as const;

export type PeriodId = (typeof PERIODS)[number]['id'];

export interface DateRange {
  /** First and last UTC day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isPeriodId(value: string | null): value is PeriodId {
  return PERIODS.some(p => p.id === value);
}

/** A Date as its UTC day, `YYYY-MM-DD`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBefore(day: Date, days: number): Date {
  return new Date(day.getTime() - days * DAY_MS);
}

/**
 * The days of a preset period ending `today` (UTC), or the custom range when
 * both of its days are valid and in order; undefined otherwise.
 */
export function periodRange(
  period: PeriodId,
  today: Date,
  custom?: Partial<DateRange>,
): DateRange | undefined {
  const to = isoDay(today);
  switch (period) {
    case 'this-month':
      return { from: `${to.slice(0, 7)}-01`, to };
    case 'last-30-days':
      return { from: isoDay(daysBefore(today, 29)), to };
    case 'last-90-days':
      return { from: isoDay(daysBefore(today, 89)), to };
    default: {
      const { from: customFrom, to: customTo } = custom ?? {};
      if (
        customFrom &&
        customTo &&
        ISO_DAY.test(customFrom) &&
        ISO_DAY.test(customTo) &&
        customFrom <= customTo
      ) {
        return { from: customFrom, to: customTo };
      }
      return undefined;
    }
  }
}

/** Every day from `from` to `to`, both included. */
export function daysOf(range: DateRange): string[] {
  const days: string[] = [];
  const end = Date.parse(`${range.to}T00:00:00Z`);
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= end; t += DAY_MS) {
    days.push(isoDay(new Date(t)));
  }
  return days;
}
