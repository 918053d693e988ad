import type { z as zod } from 'zod/v3';

/** The zod the actions registry hands to `schema.input` / `schema.output`. */
export type Zod = typeof zod;

export const ENTITY_REF_DESCRIPTION =
  'The project, as an entity ref `kind:namespace/name`, e.g. `component:default/orders-service`; a bare name means a component in the default namespace';

export function parameterSummarySchema(z: Zod) {
  return z.object({
    name: z
      .string()
      .describe(
        'Key in `values`; a dotted name is nested, e.g. `deployment.replicas` is `{ "deployment": { "replicas": … } }`',
      ),
    title: z.string().nullable(),
    description: z.string().nullable(),
    type: z
      .string()
      .describe('`string`, `integer`, `boolean`, `array of string`, …'),
    required: z
      .boolean()
      .describe(
        'Must have a value; one with a `default` gets it when left out',
      ),
    conditional: z.boolean().describe('Only applies in some cases'),
    default: z.unknown().optional().describe('Used when the value is left out'),
    enum: z.array(z.unknown()).nullable().describe('The only allowed values'),
    step: z.string().describe('The form page it is on'),
  });
}

export function taskStatusSchema(z: Zod) {
  return z.object({
    taskId: z.string(),
    status: z
      .string()
      .describe(
        '`open` (queued), `processing`, then `completed`, `failed` or `cancelled`',
      ),
    finished: z.boolean().describe('True once the status will not change'),
    templateRef: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    steps: z
      .array(
        z.object({
          id: z.string(),
          name: z.string(),
          status: z
            .string()
            .describe(
              '`pending`, `processing`, `completed`, `failed` or `skipped`',
            ),
          error: z.string().nullable().describe('Why the step failed'),
        }),
      )
      .describe('The template steps in order'),
    error: z.string().nullable().describe('Why the task failed'),
    repoUrl: z
      .string()
      .nullable()
      .describe('The new repository (clone URL), once completed'),
    entityRef: z
      .string()
      .nullable()
      .describe(
        'The new catalog entity, once completed; pass it to get-project',
      ),
    links: z.array(
      z.object({
        title: z.string().nullable(),
        url: z.string().nullable(),
        entityRef: z.string().nullable(),
      }),
    ),
  });
}
