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
