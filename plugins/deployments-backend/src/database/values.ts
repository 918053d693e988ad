/** PostgreSQL's unique_violation and SQLite's constraint errors. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

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
