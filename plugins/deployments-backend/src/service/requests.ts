import { InputError } from '@backstage/errors';
import { DEFAULT_DEPLOYMENT_ENVIRONMENT } from '@paved-road/plugin-deployments-common';
import { deploymentSettingsSchema } from '@paved-road/plugin-paved-road-common';
import { z } from 'zod';
import { ENVIRONMENT_NAME_PATTERN } from '../deploy/environments';
import { formatZodIssue } from '../repository/settingsFile';

// The request shapes the REST routes and the actions (src/actions) both
// accept, so a change is validated the same way whichever way it came in.

export const updateSettingsRequestSchema = z
  .object({
    settings: deploymentSettingsSchema,
    baseVersion: z.number().int().min(1),
    message: z.string().trim().min(1).max(2000),
  })
  .strict();

// A branch, tag or (abbreviated) sha: never an option (-…), a range (..) or
// a revision expression (~ ^ @{ :).
const refSchema = z
  .string()
  .regex(
    /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\/$)[A-Za-z0-9._/-]{1,255}$/,
    'must be a branch, tag or commit name',
  );
// Which names are allowed (configured or preview-<branch>) is the
// service's to say; this is only their shape.
export const environmentSchema = z
  .string()
  .regex(
    ENVIRONMENT_NAME_PATTERN,
    'must be lowercase letters, digits and dashes, at most 63',
  );

export const createDeploymentRequestSchema = z
  .object({
    ref: refSchema.optional(),
    environment: environmentSchema.default(DEFAULT_DEPLOYMENT_ENVIRONMENT),
  })
  .strict();

export const rollbackRequestSchema = z
  .object({
    environment: environmentSchema.default(DEFAULT_DEPLOYMENT_ENVIRONMENT),
  })
  .strict();

/** Parses a body (or query) or throws InputError naming the field. */
export function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new InputError(formatZodIssue(parsed.error.issues[0]));
  }
  return parsed.data;
}

/** A deployment's id, or InputError naming `field`. */
export function parseDeploymentId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,255}$/.test(value)) {
    throw new InputError(`${field} must be a deployment id`);
  }
  return value;
}
