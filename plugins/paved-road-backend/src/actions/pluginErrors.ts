import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';

const TYPED = { InputError, NotAllowedError, NotFoundError, ConflictError };

/**
 * Another plugin's error answer as the typed error it was there (so the
 * caller of an action gets NotAllowedError, not an opaque ResponseError).
 */
export async function typedError(response: Response): Promise<Error> {
  const error = await ResponseError.fromResponse(response);
  const Type = TYPED[error.cause.name as keyof typeof TYPED];
  return Type ? new Type(error.cause.message) : error;
}
