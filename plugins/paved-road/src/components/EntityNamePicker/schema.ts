import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/** Output and ui:options of the AvailableEntityNamePicker. */
export const EntityNamePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      kind: z
        .string()
        .optional()
        .describe(
          'Kind of the entity the template creates (default: Component)',
        ),
      namespace: z
        .string()
        .optional()
        .describe('Namespace of the new entity (default: default)'),
    }),
});
