import { Command } from 'commander';
import type {
  Deployment,
  DeploymentDetails,
  DeploymentEventsResponse,
  DeploymentLogLine,
  DeploymentRuntime,
  DoraMetrics,
} from '@paved-road/plugin-deployments-common';
import { Context } from '../lib/context';
import { parseEntityArg } from '../lib/entityRef';
import { CliError, EXIT, usageError } from '../lib/errors';
import { duration, elapsed, shortTime, truncate } from '../lib/output';
import { Action, examples } from './shared';

const FINISHED = ['succeeded', 'failed', 'rolled-back'];
const POLL_MS = 500;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function checkDeploymentId(id: string): string {
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(id)) {
    throw usageError(`deployment: '${id}' is not a deployment id`);
  }
  return encodeURIComponent(id);
}

async function getDeployment(
  ctx: Context,
  id: string,
): Promise<DeploymentDetails> {
  try {
    return await ctx.client.get<DeploymentDetails>(
      `/api/deployments/deployments/${checkDeploymentId(id)}`,
    );
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound) {
      throw new CliError(`No deployment ${id} in ${ctx.url}`, EXIT.notFound);
    }
    throw error;
  }
}

function printLogLine(ctx: Context, line: DeploymentLogLine) {
  ctx.out.progress(
    ctx.out.styleProgress('dim', `      ${line.at.slice(11, 19)} ${line.line}`),
  );
}

/**
 * Follows a deployment until it finishes: each stage as it starts and
 * ends, its log lines with `logs`, then the outcome and its reason.
 */
export async function followDeployment(
  ctx: Context,
  started: DeploymentDetails,
  options: { logs?: boolean } = {},
): Promise<DeploymentDetails> {
  const { out } = ctx;
  const printed = new Map<string, string>();
  let cursor = '0';
  let lastWasStart: string | undefined;
  let details = started;
  out.progress(
    `Deployment ${details.id}: ${
      details.kind === 'rollback'
        ? 'rolling back'
        : `deploying ${details.ref ?? details.version}`
    } to ${details.environment}${
      details.commitSha ? ` (${details.commitSha.slice(0, 12)})` : ''
    }`,
  );
  for (;;) {
    for (const stage of details.stages) {
      const key = `${stage.name}#${stage.attempt}`;
      if (printed.get(key) === stage.status) continue;
      const label =
        stage.attempt > 1
          ? `${stage.name} (attempt ${stage.attempt})`
          : stage.name;
      const took = elapsed(stage.startedAt, stage.finishedAt);
      const replace = lastWasStart === key;
      const write = (text: string) =>
        replace ? out.replaceProgress(text) : out.progress(text);
      lastWasStart = undefined;
      if (stage.status === 'running') {
        if (out.live) {
          out.progress(`  ${out.styleProgress('cyan', '▸')} ${label}`);
          lastWasStart = key;
        }
      } else if (stage.status === 'succeeded') {
        write(
          `  ${out.styleProgress('green', '✔')} ${label}  ${out.styleProgress(
            'dim',
            took,
          )}`,
        );
      } else {
        write(
          `  ${out.styleProgress('red', '✖')} ${label}  ${out.styleProgress(
            'dim',
            took,
          )}`,
        );
        if (stage.error)
          out.progress(`      ${out.styleProgress('red', stage.error)}`);
      }
      printed.set(key, stage.status);
    }
    if (options.logs) {
      const events = await ctx.client.get<DeploymentEventsResponse>(
        `/api/deployments/deployments/${checkDeploymentId(details.id)}/events`,
        { query: { after: cursor } },
      );
      for (const line of events.items) printLogLine(ctx, line);
      if (events.items.length) lastWasStart = undefined;
      cursor = events.cursor;
    }
    if (FINISHED.includes(details.status)) break;
    await sleep(POLL_MS);
    details = await getDeployment(ctx, details.id);
  }
  const took = details.finishedAt
    ? ` in ${elapsed(details.startedAt, details.finishedAt)}`
    : '';
  const outcome =
    details.status === 'succeeded'
      ? out.styleProgress(
          'green',
          `✔ ${details.environment} now runs ${
            details.commitSha?.slice(0, 12) ?? details.version
          }${took}`,
        )
      : out.styleProgress(
          'red',
          `✖ Deployment ${details.status}${took}${
            details.reason ? `: ${details.reason}` : ''
          }`,
        );
  out.progress(outcome);
  return details;
}

function exitCodeOf(details: DeploymentDetails): number {
  return details.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

type StartOptions = {
  ref?: string;
  environment?: string;
  wait?: boolean;
  logs?: boolean;
};

async function startAndMaybeFollow(
  ctx: Context,
  path: string,
  body: Record<string, string | undefined>,
  options: StartOptions,
): Promise<number> {
  const started = await ctx.client.post<DeploymentDetails>(path, { body });
  if (options.wait || options.logs) {
    const finished = await followDeployment(ctx, started, {
      logs: options.logs,
    });
    if (ctx.out.json) ctx.out.printJson(finished);
    return exitCodeOf(finished);
  }
  if (ctx.out.json) {
    ctx.out.printJson(started);
  } else {
    ctx.out.line(
      `Deployment ${started.id} ${started.status}: ${
        started.kind === 'rollback'
          ? 'rollback'
          : started.ref ?? started.version
      } to ${started.environment}.`,
    );
    ctx.out.line(
      `Follow it: paved-road logs ${started.id} --follow   (or deploy with --wait)`,
    );
  }
  return EXIT.ok;
}

export function registerDeploymentCommands(program: Command, action: Action) {
  examples(
    program
      .command('deploy')
      .summary('Deploy a version; --wait follows its stages')
      .description(
        'Deploy a version: canary, health check, then the rest, rolled back automatically when the check fails. With --wait, shows each stage live and exits 0 only when it succeeded (1 when it failed or rolled back).',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name')
      .option(
        '--ref <ref>',
        'branch, tag or commit (default: the head of the default branch)',
      )
      .option('--environment <name>', 'environment (default: production)')
      .option('--wait', 'follow it to the end')
      .option('--logs', 'follow it to the end, with its log lines'),
    [
      'paved-road deploy orders-service --wait',
      'paved-road deploy orders-service --ref v1.4.2 --environment production --wait --output json',
      'paved-road deploy orders-service --ref feature/login --environment preview-feature-login',
    ],
  ).action(
    action(async (ctx, name: string, options: StartOptions) => {
      const entity = parseEntityArg(name);
      return startAndMaybeFollow(
        ctx,
        `/api/deployments/entities/${entity.path}/deployments`,
        { ref: options.ref, environment: options.environment },
        options,
      );
    }),
  );

  examples(
    program
      .command('rollback')
      .description(
        'Deploy the previous successful version again; --wait as for deploy',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name')
      .option('--environment <name>', 'environment (default: production)')
      .option('--wait', 'follow it to the end')
      .option('--logs', 'follow it to the end, with its log lines'),
    ['paved-road rollback orders-service --wait'],
  ).action(
    action(async (ctx, name: string, options: StartOptions) => {
      const entity = parseEntityArg(name);
      return startAndMaybeFollow(
        ctx,
        `/api/deployments/entities/${entity.path}/rollback`,
        { environment: options.environment },
        options,
      );
    }),
  );

  examples(
    program
      .command('cancel')
      .description(
        'Cancel a running deployment (what already changed is rolled back)',
      )
      .argument('<deployment>', 'deployment id')
      .option('--wait', 'follow it to the end'),
    ['paved-road cancel 0f3a… --wait'],
  ).action(
    action(async (ctx, id: string, options: { wait?: boolean }) => {
      const details = await ctx.client.post<DeploymentDetails>(
        `/api/deployments/deployments/${checkDeploymentId(id)}/cancel`,
      );
      if (options.wait) {
        const finished = await followDeployment(ctx, details);
        if (ctx.out.json) ctx.out.printJson(finished);
        return EXIT.ok;
      }
      if (ctx.out.json) return ctx.out.printJson(details);
      ctx.out.line(`Cancel of ${id} requested (status ${details.status}).`);
      return undefined;
    }),
  );

  examples(
    program
      .command('status')
      .summary('Running instances, recent deployments and DORA figures')
      .description(
        'What runs where: the running instances and their health, the last deployments and the DORA figures',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name')
      .option('--environment <name>', 'environment (default: production)')
      .option('--limit <n>', 'deployments to list', '10'),
    [
      'paved-road status orders-service',
      'paved-road status orders-service --environment production --output json',
    ],
  ).action(
    action(
      async (
        ctx,
        name: string,
        options: { environment?: string; limit: string },
      ) => {
        const entity = parseEntityArg(name);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw usageError('--limit: a whole number from 1 to 200');
        }
        const base = `/api/deployments/entities/${entity.path}`;
        const query = { environment: options.environment };
        const runtimeOrWhyNot = ctx.client
          .get<DeploymentRuntime>(`${base}/runtime`, { query })
          .then(
            runtime => ({ runtime, note: null as string | null }),
            (error: unknown) => {
              // No deployment provider (503): the history and figures still tell a lot.
              if (error instanceof CliError && error.status === 503) {
                return { runtime: null, note: error.message };
              }
              throw error;
            },
          );
        const [{ items }, runtime, dora] = await Promise.all([
          ctx.client.get<{ items: Deployment[] }>(`${base}/deployments`, {
            query: { limit },
          }),
          runtimeOrWhyNot,
          ctx.client.get<DoraMetrics>(`${base}/dora`, { query }),
        ]);
        const environment = dora.environment;
        const result = {
          entityRef: entity.ref,
          environment,
          runtime: runtime.runtime,
          runtimeNote: runtime.note,
          deployments: items,
          dora,
        };
        if (ctx.out.json) return ctx.out.printJson(result);

        ctx.out.line(`${ctx.out.style('bold', entity.ref)} in ${environment}`);
        if (runtime.runtime) {
          const instances = runtime.runtime.instances;
          ctx.out.line(
            `Runtime (${runtime.runtime.provider}): ${
              runtime.runtime.url ?? 'nothing runs'
            }; ${instances.filter(i => i.healthy).length}/${
              instances.length
            } instances healthy${
              runtime.runtime.desiredReplicas !== null
                ? `, ${runtime.runtime.desiredReplicas} asked for`
                : ''
            }${runtime.runtime.note ? ` (${runtime.runtime.note})` : ''}`,
          );
          if (instances.length) {
            ctx.out.table(
              ['INSTANCE', 'VERSION', 'HEALTHY', 'RESTARTS', 'STARTED', 'URL'],
              instances.map(i => [
                i.id,
                i.version.slice(0, 12),
                i.healthy ? 'yes' : 'no',
                i.restarts,
                shortTime(i.startedAt),
                i.url,
              ]),
            );
          }
        } else {
          ctx.out.line(`Runtime: unknown (${runtime.note})`);
        }
        ctx.out.line();
        ctx.out.table(
          [
            'ID',
            'ENVIRONMENT',
            'STATUS',
            'VERSION',
            'BY',
            'STARTED',
            'TOOK',
            'REASON',
          ],
          items.map(d => [
            d.id,
            d.environment,
            d.status,
            d.version.slice(0, 12),
            d.triggeredBy,
            shortTime(d.startedAt),
            d.finishedAt ? elapsed(d.startedAt, d.finishedAt) : 'running',
            truncate(d.reason ?? '', 60),
          ]),
        );
        const lead = dora.leadTimeForChanges.medianSeconds;
        const restore = dora.timeToRestore.medianSeconds;
        ctx.out.line();
        ctx.out.line(
          `DORA, last ${dora.days} days: ${
            dora.deploymentFrequency.successful
          } successful (${dora.deploymentFrequency.perWeek.toFixed(
            1,
          )}/week); lead time ${
            lead === null ? '-' : duration(lead)
          }; change failure rate ${
            dora.changeFailureRate.rate === null
              ? '-'
              : `${Math.round(dora.changeFailureRate.rate * 100)}%`
          }; time to restore ${restore === null ? '-' : duration(restore)}`,
        );
        return undefined;
      },
    ),
  );

  examples(
    program
      .command('logs')
      .description(
        "A deployment's log lines; --follow keeps reading until it finishes",
      )
      .argument('<deployment>', 'deployment id (deploy and status print it)')
      .option('--follow', 'wait for new lines until the deployment finishes'),
    [
      'paved-road logs 0f3a…',
      'paved-road logs 0f3a… --follow',
      'paved-road logs 0f3a… --output json',
    ],
  ).action(
    action(async (ctx, id: string, options: { follow?: boolean }) => {
      const details = await getDeployment(ctx, id);
      const lines: DeploymentLogLine[] = [];
      let cursor = '0';
      let status = details.status;
      for (;;) {
        const events = await ctx.client.get<DeploymentEventsResponse>(
          `/api/deployments/deployments/${checkDeploymentId(id)}/events`,
          { query: { after: cursor, limit: 1000 } },
        );
        lines.push(...events.items);
        if (!ctx.out.json) {
          for (const line of events.items)
            ctx.out.line(`${line.at.slice(11, 19)} ${line.line}`);
        }
        cursor = events.cursor;
        status = events.status;
        if (events.items.length > 0) continue;
        if (!options.follow || events.finished) break;
        await sleep(POLL_MS);
      }
      if (ctx.out.json) {
        return ctx.out.printJson({
          deploymentId: details.id,
          status,
          items: lines,
        });
      }
      ctx.out.note(`Deployment ${details.id}: ${status}`);
      return undefined;
    }),
  );
}
