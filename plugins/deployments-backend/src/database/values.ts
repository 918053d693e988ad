export { isUniqueViolation } from '@paved-road/plugin-paved-road-node';

/**
 * PostgreSQL returns timestamps as Date, SQLite as the epoch milliseconds
 * knex bound on insert (or a string for rows written by hand).
 */
export function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}

/** A nullable timestamp column as ISO 8601. */
export function toIsoOrNull(
  value: Date | string | number | null | undefined,
): string | null {
  return value === null || value === undefined ? null : toIsoString(value);
}
