import { Command, Option } from 'commander';
import type {
  BudgetStatus,
  EntityCostReport,
  RollupGroupBy,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { parseEntityArg } from '../lib/entityRef';
import { usageError } from '../lib/errors';
import { money, shortTime } from '../lib/output';
import { Action, examples } from './shared';

const BUDGET_STATUS: Record<BudgetStatus, string> = {
  'on-track': 'on track',
  'at-risk': 'at risk: the forecast is over the budget',
  over: 'over budget',
  'no-budget': 'no budget set',
};

const GROUP_BYS: RollupGroupBy[] = [
  'business-unit',
  'cost-center',
  'team',
  'service',
];
const BARS = '▁▂▃▄▅▆▇█';

/** The daily amounts as one line of bars, highest day full height. */
export function sparkline(amounts: number[]): string {
  const max = Math.max(0, ...amounts);
  if (max === 0) return BARS[0].repeat(amounts.length);
  return amounts
    .map(
      a =>
        BARS[
          Math.min(
            BARS.length - 1,
            Math.floor((a / max) * (BARS.length - 1) + 0.5),
          )
        ],
    )
    .join('');
}

function change(total: number, previous: number): string {
  if (previous === 0) return total === 0 ? '0%' : 'new';
  const percent = Math.round(((total - previous) / previous) * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
}

type CostsOptions = {
  by?: RollupGroupBy;
  from?: string;
  to?: string;
  filter?: string;
  currency?: string;
};

export function registerCostCommands(program: Command, action: Action) {
  examples(
    program
      .command('costs')
      .summary(
        "A project's cost, or --by business unit, cost center, team or service",
      )
      .description(
        'Cost of one project (daily series, month to date, forecast, estimate of its settings, budget), or --by a dimension: business units, cost centers, teams or services with the previous period beside them',
      )
      .argument('[entity]', 'name, component:name or component:namespace/name')
      .addOption(
        new Option('--by <dimension>', 'roll up by').choices(GROUP_BYS),
      )
      .option(
        '--from <date>',
        'first day, YYYY-MM-DD (default: 30 days up to --to)',
      )
      .option('--to <date>', 'last day, YYYY-MM-DD (default: today, UTC)')
      .option(
        '--filter <dimension:value>',
        'with --by: only one business unit, cost center, team or service, e.g. business-unit:payments',
      )
      .option('--currency <code>', 'ISO 4217 code, e.g. EUR'),
    [
      'paved-road costs orders-service',
      'paved-road costs --by business-unit',
      'paved-road costs --by team --filter business-unit:group:default/payments --from 2026-01-01 --to 2026-01-31',
      'paved-road costs orders-service --output json',
    ],
  ).action(
    action(async (ctx, name: string | undefined, options: CostsOptions) => {
      if (name && options.by)
        throw usageError('name an entity or use --by, not both');
      if (!name && !options.by) {
        throw usageError(
          'name an entity (paved-road costs orders-service) or roll up with --by business-unit|cost-center|team|service',
        );
      }
      if (options.filter && !options.by)
        throw usageError('--filter goes with --by');

      if (name) {
        const entity = parseEntityArg(name);
        const report = await ctx.client.get<EntityCostReport>(
          `/api/costs/entities/${entity.path}/costs`,
          {
            query: {
              from: options.from,
              to: options.to,
              currency: options.currency,
            },
          },
        );
        if (ctx.out.json) return ctx.out.printJson(report);
        const c = report.currency;
        ctx.out.line(
          `${ctx.out.style('bold', report.entityRef)}  ${report.from} to ${
            report.to
          }`,
        );
        ctx.out.fields([
          ['Cost center', report.costCenter],
          ['Total', money(report.total, c)],
          [
            'Daily',
            `${sparkline(report.daily.map(d => d.amount))}  (max ${money(
              Math.max(0, ...report.daily.map(d => d.amount)),
              c,
            )} a day)`,
          ],
          ['Month to date', money(report.monthToDate, c)],
          ['Forecast', `${money(report.forecast, c)} this month`],
          [
            'Estimate',
            report.estimate
              ? `${money(
                  report.estimate.monthlyTotal,
                  report.estimate.currency,
                )} a month from its deployment settings`
              : null,
          ],
          [
            'Budget',
            report.budget
              ? `${report.budget.key}: ${BUDGET_STATUS[report.budget.status]}${
                  report.budget.budget
                    ? ` (${money(
                        report.budget.budget.amount,
                        report.budget.budget.currency,
                      )}, forecast ${money(
                        report.budget.forecast,
                        report.budget.currency,
                      )})`
                    : ''
                }`
              : null,
          ],
          [
            'Billing data up to',
            report.lastIngestedAt
              ? shortTime(report.lastIngestedAt)
              : 'nothing ingested yet',
          ],
        ]);
        return undefined;
      }

      let filter = options.filter;
      if (filter) {
        const [dimension, ...rest] = filter.split(':');
        const value = rest.join(':');
        if (!GROUP_BYS.includes(dimension as RollupGroupBy) || !value) {
          throw usageError(
            `--filter: write <dimension>:<value> with a dimension of ${GROUP_BYS.join(
              ', ',
            )}`,
          );
        }
        // `business-unit:payments` is `business-unit:group:default/payments`.
        if (dimension !== 'cost-center') {
          filter = `${dimension}:${
            parseEntityArg(value, {
              defaultKind: dimension === 'service' ? 'component' : 'group',
              what: '--filter',
            }).ref
          }`;
        }
      }
      const rollup = await ctx.client.get<RollupResponse>(
        '/api/costs/rollups',
        {
          query: {
            groupBy: options.by,
            from: options.from,
            to: options.to,
            filter,
            currency: options.currency,
          },
        },
      );
      if (ctx.out.json) return ctx.out.printJson(rollup);
      const c = rollup.currency;
      ctx.out.line(
        `Cost by ${rollup.groupBy}, ${rollup.from} to ${rollup.to} (previous: ${
          rollup.previousFrom
        } to ${rollup.previousTo})${rollup.filter ? `, ${rollup.filter}` : ''}`,
      );
      const total =
        rollup.items.reduce((sum, i) => sum + i.total, 0) +
        rollup.unallocated.total;
      ctx.out.table(
        [rollup.groupBy.toUpperCase(), 'TITLE', 'TOTAL', 'PREVIOUS', 'CHANGE'],
        [
          ...rollup.items.map(i => [
            i.key,
            i.title,
            money(i.total, c),
            money(i.previousTotal, c),
            change(i.total, i.previousTotal),
          ]),
          [
            '(unallocated)',
            '',
            money(rollup.unallocated.total, c),
            money(rollup.unallocated.previousTotal, c),
            change(rollup.unallocated.total, rollup.unallocated.previousTotal),
          ],
        ],
      );
      ctx.out.line(`Total ${money(total, c)}`);
      return undefined;
    }),
  );
}
