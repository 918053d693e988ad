/** PostgreSQL returns timestamps as Date, SQLite as epoch milliseconds. */
export function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}
