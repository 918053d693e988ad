import { Command } from 'commander';
import type { CostEstimate } from '@paved-road/plugin-costs-common';
import type {
  DeploymentSettingsVersion,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { isDeepStrictEqual } from 'node:util';
import { Context } from '../lib/context';
import { EntityArg, parseEntityArg } from '../lib/entityRef';
import { CliError, EXIT, usageError } from '../lib/errors';
import { cell, money, shortTime, truncate } from '../lib/output';
import { confirm } from '../lib/prompt';
import { describeSettings, unlessNotFound } from './projects';
import { Action, examples } from './shared';

export type SettingsChange = { field: string; from: unknown; to: unknown };

type Settings = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Leaf paths of a settings object: `replicas`, `rollout.strategy`, … */
function leaves(
  value: Settings,
  prefix: string[] = [],
): Array<[string[], unknown]> {
  return Object.entries(value).flatMap(([key, child]) =>
    isPlainObject(child)
      ? leaves(child, [...prefix, key])
      : [[[...prefix, key], child] as [string[], unknown]],
  );
}

/** What changed between two settings, field by field. */
export function diffSettings(
  before: Settings,
  after: Settings,
): SettingsChange[] {
  const get = (object: Settings, path: string[]) =>
    path.reduce<unknown>(
      (v, k) => (isPlainObject(v) ? v[k] : undefined),
      object,
    );
  const fields = new Map<string, string[]>();
  for (const [path] of [...leaves(before), ...leaves(after)])
    fields.set(path.join('.'), path);
  const changes: SettingsChange[] = [];
  for (const [field, path] of fields) {
    const from = get(before, path);
    const to = get(after, path);
    if (!isDeepStrictEqual(from, to))
      changes.push({ field, from: from ?? null, to: to ?? null });
  }
  return changes;
}

/**
 * Applies `key=value` to a copy of the current settings, typing each
 * value like the one it replaces (numbers, comma-separated lists).
 */
export function applySettingAssignments(
  current: Settings,
  assignments: string[],
): Settings {
  const next = structuredClone(current);
  const known = leaves(current).map(([path]) => path.join('.'));
  for (const assignment of assignments) {
    const separator = assignment.indexOf('=');
    if (separator <= 0) {
      throw usageError(`'${assignment}': write key=value, e.g. replicas=3`);
    }
    const key = assignment.slice(0, separator).trim();
    const raw = assignment.slice(separator + 1).trim();
    if (!known.includes(key)) {
      throw usageError(`${key}: not a deployment setting`, [
        `the settings: ${known.join(', ')}`,
      ]);
    }
    const path = key.split('.');
    let target: Settings = next;
    for (const part of path.slice(0, -1)) target = target[part] as Settings;
    const last = path[path.length - 1];
    const old = target[last];
    if (typeof old === 'number') {
      const number = Number(raw);
      if (raw === '' || !Number.isFinite(number)) {
        throw usageError(`${key}: '${raw}' is not a number`);
      }
      target[last] = number;
    } else if (Array.isArray(old)) {
      target[last] = raw
        .split(',')
        .map(s => s.trim())
        .filter(Boolean);
    } else if (typeof old === 'boolean') {
      if (!/^(true|false)$/.test(raw))
        throw usageError(`${key}: '${raw}' is not true or false`);
      target[last] = raw === 'true';
    } else {
      target[last] = raw;
    }
  }
  return next;
}

async function latestSettings(
  ctx: Context,
  entity: EntityArg,
): Promise<DeploymentSettingsVersion> {
  try {
    return await ctx.client.get<DeploymentSettingsVersion>(
      `/api/deployments/entities/${entity.path}/settings`,
    );
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) {
      throw new CliError(
        `${entity.ref} has no deployment settings (${error.message})`,
        EXIT.notFound,
      );
    }
    throw error;
  }
}

/** The monthly estimate, or null when the portal has no price sheet; 400 names the invalid field. */
async function estimate(
  ctx: Context,
  settings: Settings,
): Promise<CostEstimate | null> {
  return unlessNotFound(
    ctx.client.post<CostEstimate>('/api/costs/estimate', {
      body: { settings },
    }),
  );
}

function printChanges(ctx: Context, changes: SettingsChange[]) {
  ctx.out.table(
    ['SETTING', 'FROM', 'TO'],
    changes.map(c => [c.field, cell(c.from), cell(c.to)]),
  );
}

export function registerSettingsCommands(program: Command, action: Action) {
  const settings = program
    .command('settings')
    .description(
      "A project's deployment settings: cluster, replicas, CPU, memory, regions, rollout",
    );

  examples(
    settings
      .command('get')
      .description('The current settings version')
      .argument('<entity>', 'name, component:name or component:namespace/name'),
    [
      'paved-road settings get orders-service',
      'paved-road settings get orders-service --output json',
    ],
  ).action(
    action(async (ctx, name: string) => {
      const entity = parseEntityArg(name);
      const latest = await latestSettings(ctx, entity);
      if (ctx.out.json) return ctx.out.printJson(latest);
      ctx.out.line(
        `${entity.ref}: version ${latest.version}, ${shortTime(
          latest.createdAt,
        )} by ${latest.createdBy} (${latest.source})${
          latest.message ? `: ${latest.message.split('\n')[0]}` : ''
        }`,
      );
      ctx.out.table(
        ['SETTING', 'VALUE'],
        leaves(latest.settings as unknown as Settings).map(([path, value]) => [
          path.join('.'),
          cell(value),
        ]),
      );
      return undefined;
    }),
  );

  examples(
    settings
      .command('set')
      .description(
        'Change settings: shows the change and the monthly estimate before and after, asks before applying (unless --yes), then commits the new version to the repository',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name')
      .argument(
        '<key=value...>',
        'settings to change, e.g. replicas=3 memoryMiB=1024 rollout.strategy=rolling regions=eu-west-1,eu-central-1',
      )
      .requiredOption('-m, --message <why>', 'why: becomes the commit message')
      .option('--yes', 'apply without asking')
      .option('--dry-run', 'show the change and the estimate, apply nothing'),
    [
      'paved-road settings set orders-service replicas=3 memoryMiB=1024 --message "Black Friday traffic"',
      'paved-road settings set orders-service regions=eu-west-1,eu-central-1 -m "Second region" --yes --output json',
      'paved-road settings set orders-service cpuMillicores=1000 -m "Try it" --dry-run',
    ],
  ).action(
    action(
      async (
        ctx,
        name: string,
        assignments: string[],
        options: { message: string; yes?: boolean; dryRun?: boolean },
      ) => {
        const entity = parseEntityArg(name);
        if (!options.message.trim())
          throw usageError('--message: say why the settings change');
        const latest = await latestSettings(ctx, entity);
        const before = latest.settings as unknown as Settings;
        const after = applySettingAssignments(before, assignments);
        const changes = diffSettings(before, after);
        if (changes.length === 0) {
          throw usageError(
            `no change: ${entity.ref} already has these settings (version ${latest.version})`,
          );
        }
        // The new settings first: the estimate checks them and names a bad field.
        const estimateAfter = await estimate(ctx, after);
        const estimateBefore = estimateAfter
          ? await estimate(ctx, before)
          : null;
        const estimates =
          estimateAfter && estimateBefore
            ? {
                currency: estimateAfter.currency,
                before: estimateBefore.monthlyTotal,
                after: estimateAfter.monthlyTotal,
                delta:
                  Math.round(
                    (estimateAfter.monthlyTotal - estimateBefore.monthlyTotal) *
                      100,
                  ) / 100,
              }
            : null;

        if (!ctx.out.json) {
          ctx.out.line(
            `Changes to the settings of ${entity.ref} (version ${latest.version}):`,
          );
          printChanges(ctx, changes);
          if (estimates) {
            const sign = estimates.delta >= 0 ? '+' : '-';
            ctx.out.line(
              `Estimate: ${money(
                estimates.before,
                estimates.currency,
              )} → ${money(
                estimates.after,
                estimates.currency,
              )} a month (${sign}${money(
                Math.abs(estimates.delta),
                estimates.currency,
              )})`,
            );
          }
        }
        const report = (
          applied: boolean,
          result: UpdateDeploymentSettingsResponse | null,
        ) => ({
          entityRef: entity.ref,
          baseVersion: latest.version,
          applied,
          changes,
          estimate: estimates,
          result,
        });
        if (options.dryRun) {
          if (ctx.out.json) ctx.out.printJson(report(false, null));
          else ctx.out.line('Dry run: nothing applied.');
          return EXIT.ok;
        }
        if (!options.yes) {
          if (!ctx.out.interactive) {
            if (ctx.out.json) ctx.out.printJson(report(false, null));
            throw usageError(
              'not applied: pass --yes to apply without a terminal',
            );
          }
          if (!(await confirm('Apply?'))) {
            ctx.out.note('Not applied.');
            if (ctx.out.json) ctx.out.printJson(report(false, null));
            return EXIT.usage;
          }
        }
        const { body } = await ctx.client.put<UpdateDeploymentSettingsResponse>(
          `/api/deployments/entities/${entity.path}/settings`,
          {
            body: {
              settings: after,
              baseVersion: latest.version,
              message: options.message,
            },
          },
        );
        if (ctx.out.json) return ctx.out.printJson(report(true, body));
        if (body.mode === 'commit') {
          ctx.out.line(
            ctx.out.style(
              'green',
              `✔ Version ${body.version.version} committed${
                body.version.commitSha
                  ? ` (${body.version.commitSha.slice(0, 12)})`
                  : ''
              } by ${body.version.createdBy}`,
            ),
          );
        } else {
          ctx.out.line(
            `Pull request opened: ${body.pullRequestUrl} (the new version appears once it is merged)`,
          );
        }
        return undefined;
      },
    ),
  );

  examples(
    settings
      .command('history')
      .description(
        'Every settings version, newest first, with what it changed, who and why',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name'),
    [
      'paved-road settings history orders-service',
      'paved-road settings history orders-service --output json',
    ],
  ).action(
    action(async (ctx, name: string) => {
      const entity = parseEntityArg(name);
      const { items } = await ctx.client.get<{
        items: DeploymentSettingsVersion[];
      }>(`/api/deployments/entities/${entity.path}/settings/versions`);
      if (items.length === 0) {
        throw new CliError(
          `${entity.ref} has no deployment settings versions`,
          EXIT.notFound,
        );
      }
      const withChanges = items.map((version, i) => {
        const previous = items[i + 1];
        return {
          ...version,
          changes: previous
            ? diffSettings(
                previous.settings as unknown as Settings,
                version.settings as unknown as Settings,
              )
            : [],
        };
      });
      if (ctx.out.json) return ctx.out.printJson({ items: withChanges });
      ctx.out.table(
        ['VERSION', 'WHEN', 'BY', 'SOURCE', 'CHANGES', 'MESSAGE'],
        withChanges.map(v => [
          v.version,
          shortTime(v.createdAt),
          v.createdBy,
          v.source,
          v.changes.length
            ? v.changes
                .map(c => `${c.field} ${cell(c.from)}→${cell(c.to)}`)
                .join(', ')
            : truncate(describeSettings(v.settings as DeploymentSettings), 60),
          truncate(v.message?.split('\n')[0] ?? '', 60),
        ]),
      );
      return undefined;
    }),
  );
}
