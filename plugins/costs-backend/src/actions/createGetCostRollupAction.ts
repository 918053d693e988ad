import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { reportInputs } from './reportInputs';
import { ReadRollup } from '../rollups/readRollup';

export function createGetCostRollupAction(options: {
  actionsRegistry: ActionsRegistryService;
  readRollup: ReadRollup;
}) {
  const { actionsRegistry, readRollup } = options;
  actionsRegistry.register({
    name: 'get-cost-rollup',
    title: 'Get cost by business unit, cost center, team or service',
    description: `Returns actual cost (from billing exports) grouped by business unit, cost center, team or service over a date range (default: the 30 days up to today), largest first, each with the total of the period of the same length before it, plus what could not be allocated.
Use it for "which team spends most", "what did business unit X cost last month"; narrow it with \`filter\`, e.g. the services of one team: groupBy \`service\` and filter \`team:group:default/checkout\`. Anyone signed in may read roll-ups.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          groupBy: z
            .enum(['business-unit', 'cost-center', 'team', 'service'])
            .describe('What to group the cost by'),
          filter: z
            .string()
            .optional()
            .describe(
              '`<dimension>:<value>` to narrow to one group, e.g. `business-unit:group:default/payments`, `cost-center:CC-1001`, `team:group:default/checkout`',
            ),
          ...reportInputs(z),
        }),
      output: z =>
        z.object({
          currency: z.string(),
          groupBy: z.enum(['business-unit', 'cost-center', 'team', 'service']),
          filter: z.string().nullable(),
          from: z.string(),
          to: z.string(),
          previousFrom: z
            .string()
            .describe('Start of the period `previousTotal` covers'),
          previousTo: z.string(),
          items: z
            .array(
              z.object({
                key: z
                  .string()
                  .describe('A Group ref, a cost center or a service ref'),
                entityRef: z.string().nullable(),
                title: z.string(),
                total: z.number(),
                previousTotal: z.number(),
              }),
            )
            .describe('Largest total first'),
          unallocated: z
            .object({ total: z.number(), previousTotal: z.number() })
            .describe(
              'Cost this grouping cannot place (untagged or unknown services)',
            ),
        }),
    },
    action: async ({ input }) => ({
      output: await readRollup({
        groupBy: input.groupBy,
        from: input.from,
        to: input.to,
        filter: input.filter,
        currency: input.currency,
      }),
    }),
  });
}
