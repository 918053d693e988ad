import { ResponseError } from '@backstage/errors';

/**
 * The message the backend wrote for the user (e.g. the 400 naming the
 * field), rather than ResponseError's "Request failed with 400 …" prefix.
 */
export function backendMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body?.error?.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a failed request, if it got that far. */
export function errorStatus(error: unknown): number | undefined {
  return error instanceof ResponseError ? error.statusCode : undefined;
}
