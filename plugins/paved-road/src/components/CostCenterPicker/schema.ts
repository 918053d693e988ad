import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** Output and ui:options of the CostCenterPicker, for the field explorer. */
export const CostCenterPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      ownerField: z
        .string()
        .optional()
        .describe(
          'Property of the same form holding the owner Group ref (default: owner)',
        ),
      costCenterPattern: z
        .string()
        .optional()
        .describe(
          'Cost-center format when the backend uses a custom pavedRoad.costCenterPattern',
        ),
    }),
});
