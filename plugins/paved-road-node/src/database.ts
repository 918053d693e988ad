/**
 * Whether a database error is a unique constraint violation: PostgreSQL's
 * unique_violation or SQLite's constraint errors.
 *
 * @public
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
