import { z } from 'zod';

const versionSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9][A-Za-z0-9.+:_-]*$/, 'must be a template version');

/** @public The body of `POST /projects/:namespace/:kind/:name/upgrade`. */
export const upgradeRequestSchema = z
  .object({
    toVersion: versionSchema,
    answers: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** @public The body of `POST /fleet/:namespace/:name/upgrades`. */
export const batchUpgradeRequestSchema = z
  .object({
    toVersion: versionSchema,
    entityRefs: z.array(z.string().min(1).max(255)).min(1).max(500).optional(),
  })
  .strict();
