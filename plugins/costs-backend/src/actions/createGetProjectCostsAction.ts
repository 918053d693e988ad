import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@paved-road/plugin-paved-road-common';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { reportInputs } from './reportInputs';
import {
  EntityCostReportDeps,
  readEntityCostReport,
} from '../service/entityCostReport';

function serviceRef(value: string): string {
  const ref = normalizeEntityRef(value, { defaultKind: 'component' });
  if (!ref) {
    throw new InputError(
      `entityRef: '${value}' is not an entity ref like component:default/orders-service`,
    );
  }
  return ref;
}

export function createGetProjectCostsAction(
  options: EntityCostReportDeps & { actionsRegistry: ActionsRegistryService },
) {
  const { actionsRegistry, ...deps } = options;
  actionsRegistry.register({
    name: 'get-project-costs',
    title: 'Get the cost of a service',
    description: `Returns what one service costs: the monthly estimate from its deployment settings and the price sheet (available from the day it is created), and the actual cost ingested from billing exports — per day over a date range (default: the 30 days up to today), month to date and the month's forecast — with the budget of its cost center.
Use it to answer "what does X cost", or after update-deployment-settings to see the new estimate. Amounts are in \`currency\`. The permission policy decides who may read a service's costs (NotAllowedError otherwise).`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The service, as an entity ref `kind:namespace/name`, e.g. `component:default/orders-service`; a bare name means a component in the default namespace',
            ),
          ...reportInputs(z),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          currency: z.string().describe('ISO 4217 code of every amount'),
          from: z.string(),
          to: z.string(),
          total: z.number().describe('Actual cost from `from` to `to`'),
          monthToDate: z
            .number()
            .describe('Actual cost of the month of `to` so far'),
          forecast: z
            .number()
            .describe("Run-rate forecast of that month's total"),
          lastIngestedAt: z
            .string()
            .nullable()
            .describe(
              'When billing data last arrived; later costs are not known yet',
            ),
          costCenter: z
            .string()
            .nullable()
            .describe('Cost center billed, e.g. `CC-1001`'),
          estimate: z
            .object({
              currency: z.string(),
              month: z.string().describe('`YYYY-MM`'),
              monthlyTotal: z
                .number()
                .describe(
                  'Estimated monthly cost of the current deployment settings',
                ),
              lines: z
                .array(
                  z.object({
                    cluster: z.string(),
                    region: z.string(),
                    replicas: z.number(),
                    cpuCost: z.number(),
                    memoryCost: z.number(),
                    total: z.number(),
                  }),
                )
                .describe('One line per region'),
            })
            .nullable()
            .describe(
              'Null when the service has no deployment settings or no price sheet is configured',
            ),
          budget: z
            .object({
              key: z.string().describe('The cost center'),
              monthToDate: z.number(),
              forecast: z.number(),
              amount: z
                .number()
                .nullable()
                .describe('The monthly budget; null when none is set'),
              status: z.enum(['on-track', 'at-risk', 'over', 'no-budget']),
            })
            .nullable(),
          daily: z
            .array(z.object({ date: z.string(), amount: z.number() }))
            .describe('Actual cost per day, zero-filled'),
        }),
    },
    action: async ({ input, credentials }) => {
      const report = await readEntityCostReport(
        deps,
        {
          entityRef: serviceRef(input.entityRef),
          from: input.from,
          to: input.to,
          currency: input.currency,
        },
        credentials,
      );
      const { estimate, budget } = report;
      return {
        output: {
          ...report,
          estimate: estimate && {
            currency: estimate.currency,
            month: estimate.month,
            monthlyTotal: estimate.monthlyTotal,
            lines: estimate.lines.map(line => ({
              cluster: line.cluster,
              region: line.region,
              replicas: line.replicas,
              cpuCost: line.cpuCost,
              memoryCost: line.memoryCost,
              total: line.total,
            })),
          },
          budget: budget && {
            key: budget.key,
            monthToDate: budget.monthToDate,
            forecast: budget.forecast,
            amount: budget.budget?.amount ?? null,
            status: budget.status,
          },
        },
      };
    },
  });
}
