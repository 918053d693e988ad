/** PostgreSQL's unique_violation and SQLite's constraint errors. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** PostgreSQL returns timestamps as Date, SQLite as epoch milliseconds. */
export function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}
