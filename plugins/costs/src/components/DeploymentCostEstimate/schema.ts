import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** Where the field finds the settings it estimates, for the field explorer. */
export const DeploymentCostEstimateFieldSchema = makeFieldSchema({
  output: z => z.null(),
  uiOptions: z =>
    z.object({
      settingsField: z
        .string()
        .optional()
        .describe(
          'Property of the same form holding the deployment settings, dots for nesting (default: deployment)',
        ),
    }),
});

/** ui:options of the field. */
export type DeploymentCostEstimateUiOptions =
  typeof DeploymentCostEstimateFieldSchema.uiOptionsType;
