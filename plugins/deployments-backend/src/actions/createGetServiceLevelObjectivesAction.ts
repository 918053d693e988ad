import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { formatSloProblem } from '@paved-road/plugin-deployments-common';
import { ServiceLevelObjectivesService } from '../service/ServiceLevelObjectivesService';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { Zod } from './schemas';

function querySchema(z: Zod, description: string) {
  return z
    .object({
      sourceType: z.string().describe('The metric source, e.g. `Prometheus`'),
      query: z
        .string()
        .nullable()
        .describe('The query, e.g. PromQL; null when the source has none'),
    })
    .nullable()
    .describe(description);
}

function sloSchema(z: Zod) {
  return z.object({
    name: z.string().describe('metadata.name of the SLO'),
    displayName: z.string().nullable(),
    description: z.string().nullable(),
    service: z.string().describe('The OpenSLO service it belongs to'),
    budgetingMethod: z
      .enum(['Occurrences', 'Timeslices', 'RatioTimeslices'])
      .describe(
        '`Occurrences`: good events of all events; `Timeslices`: good time slices of all',
      ),
    timeWindow: z.object({
      duration: z.string().describe('e.g. `28d`, `4w`, `1h`, `1M`'),
      isRolling: z
        .boolean()
        .describe('true: the last `duration`; false: calendar periods'),
      calendar: z
        .object({ startTime: z.string(), timeZone: z.string() })
        .nullable(),
    }),
    indicator: z
      .object({
        type: z
          .enum(['ratio', 'threshold', 'reference'])
          .describe('`reference`: an SLI document named by `name`'),
        name: z.string().nullable(),
        displayName: z.string().nullable(),
        good: querySchema(z, 'Ratio: the good events'),
        bad: querySchema(z, 'Ratio: the bad events (instead of good)'),
        total: querySchema(z, 'Ratio: all events'),
        threshold: querySchema(z, 'Threshold: the value compared'),
      })
      .describe('What is measured'),
    objectives: z.array(
      z.object({
        displayName: z.string().nullable(),
        target: z.number().describe('Fraction that must be good, e.g. 0.995'),
        op: z.enum(['lt', 'lte', 'gte', 'gt']).nullable(),
        value: z.number().nullable(),
        errorBudget: z
          .object({
            fraction: z
              .number()
              .describe('Allowed bad fraction, 1 - target, e.g. 0.005'),
            seconds: z
              .number()
              .nullable()
              .describe(
                'That fraction of the window in seconds; null for windows in months, quarters or years',
              ),
            duration: z
              .string()
              .nullable()
              .describe('The same for people, e.g. `3 h 21 min 36 s`'),
          })
          .describe('How much may go wrong over the window'),
      }),
    ),
    document: z.number().int().describe('Its YAML document, 1 for the first'),
  });
}

export function createGetServiceLevelObjectivesAction(options: {
  actionsRegistry: ActionsRegistryService;
  slos: ServiceLevelObjectivesService;
}) {
  const { actionsRegistry, slos } = options;
  actionsRegistry.register({
    name: 'get-service-level-objectives',
    title: 'Get service level objectives',
    description: `Returns the service level objectives (SLOs) of a Paved Road service as its repository defines them in deploy/slo.yaml (OpenSLO v1), read at the head of the default branch: each SLO's objective, time window, indicator queries and error budget (the allowed bad fraction and what it means as time over the window, e.g. 0.995 over 28d is 3 h 21 min 36 s).
\`found: false\` means the service has no such file yet (projects from template versions before 2.0.0). \`problems\` lists what in the file is invalid, naming the document and field; the valid SLOs are returned anyway. Anyone who may see the service in the catalog may read them.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
        }),
      output: z =>
        z.object({
          file: z.string().describe('The file read, `deploy/slo.yaml`'),
          found: z
            .boolean()
            .describe('False when the default branch has no such file'),
          slos: z.array(sloSchema(z)),
          problems: z
            .array(z.string())
            .describe(
              'e.g. `document 2: spec.objectives[0].target: must be between 0 and 1`',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = entityRefInput(input.entityRef);
      const result = await slos.get(entityRef, credentials);
      return {
        output: {
          file: result.file,
          found: result.found,
          slos: result.slos,
          problems: result.problems.map(formatSloProblem),
        },
      };
    },
  });
}
