import type { z as zod } from 'zod/v3';

/** `from`, `to` and `currency`, as every cost report takes them. */
export function reportInputs(z: typeof zod) {
  return {
    from: z
      .string()
      .optional()
      .describe(
        'First day, `YYYY-MM-DD`; defaults to the start of the 30 days ending on `to`',
      ),
    to: z
      .string()
      .optional()
      .describe('Last day, `YYYY-MM-DD`; defaults to today (UTC)'),
    currency: z
      .string()
      .optional()
      .describe(
        'ISO 4217 code such as `EUR` to report in; defaults to the billing currency',
      ),
  };
}
