/** The message of anything thrown, for an alert. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
