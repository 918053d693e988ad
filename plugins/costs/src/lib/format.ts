// The browser's locale, so amounts read the way the user expects; jsdom and
// servers fall back to the runtime default.
function locale(): string | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.language;
}

/** An amount in its currency, e.g. `€1,234.50`. */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency,
  }).format(amount);
}

/** A short amount for chart axes, e.g. `€1.2K`. */
export function formatMoneyCompact(amount: number, currency: string): string {
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(amount);
}

/** A UTC day `YYYY-MM-DD` as a short date, e.g. `Nov 22`. */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat(locale(), {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** An ISO timestamp in the user's time zone. */
export function formatTimestamp(iso: string): string {
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** A plain number with grouping, e.g. `1,460`. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(
    value,
  );
}

/** A signed change with its share of the previous amount, e.g. `+€12.00 (+4.1%)`. */
export function formatChange(
  current: number,
  previous: number,
  currency: string,
): string {
  const delta = current - previous;
  const sign = delta > 0 ? '+' : '';
  const money = `${sign}${formatMoney(delta, currency)}`;
  if (previous === 0) {
    return delta === 0 ? money : `${money} (new)`;
  }
  const percent = new Intl.NumberFormat(locale(), {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(delta / previous);
  return `${money} (${percent})`;
}
