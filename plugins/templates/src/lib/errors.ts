import type { ResponseError } from '@backstage/errors';

// Duck-typed rather than `instanceof`: an app can hold two copies of
// @backstage/errors.
function isResponseError(error: unknown): error is ResponseError {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as Partial<ResponseError>).statusCode === 'number'
  );
}

/** The backend's own message for a failed request (`message: …` for a 400), else the error's. */
export function errorMessage(error: unknown): string {
  if (isResponseError(error)) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
