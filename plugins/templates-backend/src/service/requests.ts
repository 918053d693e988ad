import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses a body or throws InputError naming the field. */
export function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    throw new InputError(path ? `${path}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}
