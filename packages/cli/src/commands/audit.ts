import { Command } from 'commander';
import type {
  AuditEventPage,
  HygieneReport,
} from '@paved-road/plugin-paved-road-common';
import { parseEntityArg } from '../lib/entityRef';
import { usageError } from '../lib/errors';
import { shortTime, truncate } from '../lib/output';
import { Action, examples } from './shared';

type AuditOptions = {
  entity?: string;
  actor?: string;
  action?: string;
  outcome?: string;
  businessUnit?: string;
  costCenter?: string;
  from?: string;
  to?: string;
  limit: string;
  cursor?: string;
};

export function registerAuditCommands(program: Command, action: Action) {
  examples(
    program
      .command('audit')
      .summary('The audit trail, with filters')
      .description(
        'The audit trail, newest first: projects created, settings changed (refused attempts too), deployments, deactivations, with actor, entity, owner, business unit, cost center and outcome',
      )
      .option(
        '--entity <entity>',
        'about this entity (name, component:name, …)',
      )
      .option(
        '--actor <user>',
        'done by this user, e.g. guest or user:default/guest',
      )
      .option(
        '--action <action>',
        'e.g. project.created, settings.changed, deployment.started',
      )
      .option('--outcome <outcome>', 'succeeded, failed or denied')
      .option('--business-unit <group>', 'e.g. payments')
      .option('--cost-center <code>', 'e.g. CC-1001')
      .option('--from <time>', 'from this date or time (ISO 8601)')
      .option('--to <time>', 'up to this date or time (ISO 8601)')
      .option('--limit <n>', 'events per page, 1 to 500', '20')
      .option(
        '--cursor <cursor>',
        'the next page, as the previous one printed',
      ),
    [
      'paved-road audit',
      'paved-road audit --entity orders-service',
      'paved-road audit --outcome denied --from 2026-01-01',
      'paved-road audit --business-unit payments --action settings.changed --output json',
    ],
  ).action(
    action(async (ctx, options: AuditOptions) => {
      if (!/^\d+$/.test(options.limit))
        throw usageError('--limit: a whole number from 1 to 500');
      const page = await ctx.client.get<AuditEventPage>(
        '/api/paved-road/audit',
        {
          query: {
            entityRef: options.entity
              ? parseEntityArg(options.entity, { what: '--entity' }).ref
              : undefined,
            actor: options.actor,
            action: options.action,
            outcome: options.outcome,
            businessUnit: options.businessUnit,
            costCenter: options.costCenter,
            from: options.from,
            to: options.to,
            limit: options.limit,
            cursor: options.cursor,
          },
        },
      );
      if (ctx.out.json) return ctx.out.printJson(page);
      ctx.out.table(
        [
          'TIME',
          'ACTION',
          'OUTCOME',
          'ACTOR',
          'ENTITY',
          'COST CENTER',
          'SUMMARY',
        ],
        page.items.map(e => [
          shortTime(e.occurredAt),
          e.action,
          e.outcome === 'succeeded'
            ? e.outcome
            : ctx.out.style(
                e.outcome === 'denied' ? 'yellow' : 'red',
                e.outcome,
              ),
          e.actor,
          e.entityRef,
          e.costCenter,
          truncate(e.summary, 80),
        ]),
      );
      if (page.nextCursor)
        ctx.out.line(
          `More: paved-road audit --cursor ${page.nextCursor} (with the same filters)`,
        );
      return undefined;
    }),
  );

  examples(
    program
      .command('hygiene')
      .summary('Entities with ownership, cost-center or settings problems')
      .description(
        'Entities whose owner or cost center is missing or wrong, or whose deployment settings file is invalid, by business unit',
      ),
    ['paved-road hygiene', 'paved-road hygiene --output json'],
  ).action(
    action(async ctx => {
      const report = await ctx.client.get<HygieneReport>(
        '/api/paved-road/hygiene',
      );
      if (ctx.out.json) return ctx.out.printJson(report);
      ctx.out.table(
        [
          'BUSINESS UNIT',
          'ENTITY',
          'OWNER',
          'COST CENTER',
          'PROBLEM',
          'MESSAGE',
        ],
        report.groups.flatMap(group =>
          group.items.flatMap(item =>
            item.problems.map(problem => [
              group.businessUnit ?? '(none)',
              `${item.entityRef}${item.inCatalog ? '' : ' (not in catalog)'}`,
              item.owner,
              item.costCenter,
              `${problem.code}${
                problem.severity === 'warning' ? ' (warning)' : ''
              }`,
              truncate(problem.message, 100),
            ]),
          ),
        ),
      );
      return undefined;
    }),
  );
}
