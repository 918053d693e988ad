import { Command } from 'commander';
import type {
  MissingAnswer,
  ProjectUpgradeInfo,
  TemplateFleet,
  UpgradeBatch,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';
import { Context } from '../lib/context';
import { EntityArg, parseEntityArg } from '../lib/entityRef';
import { CliError, EXIT, usageError } from '../lib/errors';
import { cell, elapsed, Output, shortTime } from '../lib/output';
import {
  applyAssignments,
  coerceValue,
  listFields,
  ParameterValues,
  setPath,
} from '../lib/parameters';
import { ask, confirm } from '../lib/prompt';
import { unlessNotFound } from './projects';
import { loadTemplateSchema, namingTemplate } from './templates';
import { Action, collect, examples } from './shared';

/** How often `--wait` asks how an upgrade is doing. */
const POLL_MS = 2_000;
const FINISHED = ['succeeded', 'failed'];
/** Changed files listed in full; the rest are counted. */
const MAX_FILES = 20;

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** `paved-road/upgrade-1.1.0` of `http://…/x.git` → the clone command. */
export function cloneCommand(job: UpgradeJob): string | null {
  const result = job.result;
  if (!result?.cloneUrl) return null;
  return `git clone -b ${result.branch} ${result.cloneUrl}`;
}

/** Why a project cannot be upgraded, in words. */
export function unavailableText(info: ProjectUpgradeInfo): string {
  switch (info.reason) {
    case 'up-to-date':
      return `it is on ${info.currentVersion}, the latest version of ${info.templateRef}`;
    case 'ahead':
      return `it is on ${info.currentVersion}, newer than ${info.templateRef} ${info.latestVersion}`;
    case 'no-template-branch':
      return 'it records no template version: it was created before template versions were recorded';
    case 'no-answers':
      return 'its repository has no .paved-road/answers.yaml with the answers it was created with';
    case 'template-not-found':
      return `its template ${info.templateRef} is not in the catalog`;
    case 'not-from-template':
      return 'it was not created from a template';
    default:
      return 'it cannot be upgraded';
  }
}

/** `succeeded, conflicts in 2 files`, `running`, `failed: …`: one table cell. */
export function jobSummary(job: UpgradeJob): string {
  if (job.status === 'failed')
    return `failed: ${job.error ?? 'no reason given'}`;
  if (job.status !== 'succeeded') return job.status;
  switch (job.outcome) {
    case 'conflicts': {
      const n = job.result?.conflicts.length ?? 0;
      return `succeeded, conflicts in ${n} file${n === 1 ? '' : 's'}`;
    }
    case 'no-change':
      return 'succeeded, nothing to merge';
    default:
      return 'succeeded, clean merge';
  }
}

/** Where to look at a finished upgrade: its pull request, else its branch (none when nothing was merged). */
function jobLink(job: UpgradeJob): string | null {
  if (job.outcome === 'no-change') return null;
  return job.result?.pullRequestUrl ?? job.result?.branch ?? null;
}

/**
 * A finished upgrade for people: the outcome, the branch and how to clone
 * it, the pull request, the conflicts with their files and the changed
 * files. Nothing in JSON mode.
 */
export function printUpgradeOutcome(out: Output, job: UpgradeJob): void {
  if (out.json) return;
  const took = job.finishedAt
    ? ` in ${elapsed(job.createdAt, job.finishedAt)}`
    : '';
  if (job.status === 'failed') {
    out.line(
      out.style(
        'red',
        `✖ Upgrade ${job.id} of ${job.entityRef} to ${
          job.toVersion
        } failed${took}: ${job.error ?? 'no reason given'}`,
      ),
    );
    return;
  }
  if (job.status !== 'succeeded') {
    out.line(
      `Upgrade ${job.id} of ${job.entityRef} to ${job.toVersion}: ${job.status}`,
    );
    return;
  }
  const result = job.result;
  const conflicts = result?.conflicts ?? [];
  if (job.outcome === 'no-change') {
    out.line(
      out.style(
        'green',
        `✔ Nothing to merge: ${job.templateRef} ${job.toVersion} renders the same files for ${job.entityRef} as ${job.fromVersion}${took}`,
      ),
    );
    return;
  }
  out.line(
    conflicts.length
      ? out.style(
          'yellow',
          `⚠ Upgraded ${job.entityRef} to ${job.toVersion} with conflicts in ${
            conflicts.length
          } file${
            conflicts.length === 1 ? '' : 's'
          }${took}: resolve them on the branch before merging`,
        )
      : out.style(
          'green',
          `✔ Upgraded ${job.entityRef} to ${job.toVersion}${took}: a clean merge`,
        ),
  );
  // A pull request and a compare view exist only on some hosts.
  out.fields(
    [
      ['Branch', result?.branch],
      ['Clone', cloneCommand(job)],
      ['Pull request', result?.pullRequestUrl],
      ['Compare', result?.compareUrl],
      ['Changed files', result ? String(result.changedFiles.length) : null],
    ].filter(
      ([label, value]) =>
        value || !['Pull request', 'Compare'].includes(label!),
    ) as Array<[string, string | null | undefined]>,
  );
  if (conflicts.length) {
    out.line();
    out.table(
      ['CONFLICT', 'FILE', 'MESSAGE'],
      conflicts.map(c => [c.type, c.path, c.message]),
    );
  }
  const changed = result?.changedFiles ?? [];
  if (changed.length) {
    out.line();
    out.table(
      ['STATUS', 'CHANGED FILE'],
      changed.slice(0, MAX_FILES).map(f => [f.status, f.path]),
    );
    if (changed.length > MAX_FILES) {
      out.line(out.style('dim', `… and ${changed.length - MAX_FILES} more`));
    }
  }
}

/** Follows a job every 2 s until it succeeds or fails, telling each change of status. */
async function followUpgrade(
  ctx: Context,
  started: UpgradeJob,
): Promise<UpgradeJob> {
  let job = started;
  let told = '';
  for (;;) {
    if (job.status !== told) {
      ctx.out.progress(
        `  ${ctx.out.styleProgress(
          'dim',
          new Date().toISOString().slice(11, 19),
        )} ${job.status}`,
      );
      told = job.status;
    }
    if (FINISHED.includes(job.status)) return job;
    await sleep(POLL_MS);
    job = (
      await ctx.client.get<{ job: UpgradeJob }>(
        `/api/templates/upgrades/${encodeURIComponent(job.id)}`,
      )
    ).job;
  }
}

async function getUpgradeInfo(
  ctx: Context,
  entity: EntityArg,
): Promise<ProjectUpgradeInfo> {
  const info = await unlessNotFound(
    ctx.client.get<ProjectUpgradeInfo>(
      `/api/templates/projects/${entity.path}/upgrade`,
    ),
  );
  if (!info) {
    throw new CliError(
      `No entity ${entity.ref} in the catalog of ${ctx.url}`,
      EXIT.notFound,
    );
  }
  return info;
}

/** `{ a: { b: 1 } }` → `[['a.b', 1]]`: new answers as the form names them. */
function flatten(
  values: Record<string, unknown>,
  prefix = '',
): Array<[string, unknown]> {
  return Object.entries(values).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? flatten(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

function hasValue(values: ParameterValues, name: string): boolean {
  let current: unknown = values;
  for (const key of name.split('.')) {
    current =
      current && typeof current === 'object'
        ? (current as Record<string, unknown>)[key]
        : undefined;
  }
  return current !== undefined;
}

function describeMissing(missing: MissingAnswer[]): string[] {
  return [
    ...missing.map(
      m =>
        `${m.name} (${[m.title, m.type].filter(Boolean).join(', ')})${
          m.problem ? `: ${m.problem}` : ''
        }${m.enum ? `; one of ${m.enum.join(', ')}` : ''}${
          m.description ? `: ${m.description}` : ''
        }`,
    ),
    'Give them with --answer key=value, or run in a terminal to be asked.',
  ];
}

function printUpgradeInfo(out: Output, info: ProjectUpgradeInfo): void {
  out.line(
    `${out.style('bold', info.entityRef)}  ${
      info.templateRef ?? 'no template'
    } ${info.currentVersion ?? '?'}${
      info.available ? ` → ${out.style('bold', info.latestVersion ?? '?')}` : ''
    }`,
  );
  for (const entry of info.changelog) {
    out.line();
    out.line(out.style('bold', `## ${entry.version}`));
    for (const line of entry.body.trim().split('\n')) out.line(`  ${line}`);
  }
  const added = flatten(info.newAnswers);
  if (added.length) {
    out.line();
    out.line('New questions, answered with their defaults:');
    for (const [name, value] of added) out.line(`  ${name} = ${cell(value)}`);
  }
}

type UpgradeOptions = { answer: string[]; wait?: boolean; yes?: boolean };

export function registerProjectUpgrade(project: Command, action: Action) {
  examples(
    project
      .command('upgrade')
      .summary("Upgrade a project to its template's latest version")
      .description(
        "Upgrade a project to its template's latest version: shows the versions, the changelog and the new questions, asks for answers the new version needs (in a terminal; without one it exits 2 naming them), then queues the upgrade, which merges the new render into a branch (a pull request on GitHub) with git's three-way merge. With --wait, follows it and prints the branch, how to clone it, the pull request and the conflicts; exits 1 when the upgrade failed.",
      )
      .argument('<project>', 'name, component:name or component:namespace/name')
      .option(
        '--answer <key=value>',
        'an answer to a question the new version asks, or a changed answer (repeatable)',
        collect,
        [],
      )
      .option('--wait', 'follow the upgrade to its outcome')
      .option('--yes', 'upgrade without asking'),
    [
      'paved-road project upgrade orders-service',
      'paved-road project upgrade orders-service --yes --wait',
      'paved-road project upgrade orders-service --answer javaVersion=25 --yes --wait --output json',
    ],
  ).action(
    action(async (ctx, name: string, options: UpgradeOptions) => {
      const entity = parseEntityArg(name);
      const info = await getUpgradeInfo(ctx, entity);
      // Asking again for the same version gives the same job: follow it.
      const pending =
        info.job &&
        info.job.toVersion === info.latestVersion &&
        info.job.status !== 'failed'
          ? info.job
          : undefined;
      let answers: ParameterValues = {};
      const report = (job: UpgradeJob | null, created: boolean) => ({
        entityRef: info.entityRef,
        templateRef: info.templateRef ?? null,
        fromVersion: info.currentVersion ?? null,
        toVersion: info.latestVersion ?? null,
        available: info.available,
        reason: info.reason ?? null,
        changelog: info.changelog,
        newAnswers: info.newAnswers,
        missingAnswers: info.missingAnswers,
        answers,
        created,
        job,
        cloneCommand: job ? cloneCommand(job) : null,
      });

      if (!info.available) {
        if (ctx.out.json) ctx.out.printJson(report(info.job ?? null, false));
        else printUpgradeInfo(ctx.out, info);
        if (info.reason === 'up-to-date') {
          ctx.out.line(`Up to date: ${unavailableText(info)}.`);
          return EXIT.ok;
        }
        throw usageError(
          `${info.entityRef} cannot be upgraded: ${unavailableText(info)}`,
        );
      }
      if (!ctx.out.json) printUpgradeInfo(ctx.out, info);

      let job: UpgradeJob;
      let created = false;
      if (pending) {
        job = pending;
        if (options.answer.length) {
          ctx.out.note(
            `--answer is not used: the upgrade to ${info.latestVersion} was asked for already.`,
          );
        }
        ctx.out.line();
        ctx.out.line(
          `The upgrade to ${info.latestVersion} was asked for on ${shortTime(
            pending.createdAt,
          )} by ${pending.requestedBy}: job ${pending.id}, ${pending.status}.`,
        );
      } else {
        if (options.answer.length) {
          const template = await loadTemplateSchema(ctx, info.templateRef!);
          answers = applyAssignments(
            template.steps,
            {},
            options.answer,
            '--answer',
          );
        }
        let missing = info.missingAnswers.filter(
          m => !hasValue(answers, m.name),
        );
        if (missing.length && ctx.out.interactive) {
          const fields = listFields(
            (await loadTemplateSchema(ctx, info.templateRef!)).steps,
          );
          ctx.out.note(
            `${info.templateRef} ${info.latestVersion} asks what ${entity.ref} never answered (Enter leaves one empty):`,
          );
          for (const m of missing) {
            if (m.problem) ctx.out.note(`  ${m.name}: ${m.problem}`);
            if (m.description)
              ctx.out.note(ctx.out.styleError('dim', `  ${m.description}`));
            const raw = await ask(
              `  ${m.title ?? m.name} (${m.name}${
                m.enum ? `; ${m.enum.join(', ')}` : ''
              }): `,
            );
            if (raw === '') continue;
            const field = fields.find(f => f.name === m.name);
            setPath(
              answers,
              m.name.split('.'),
              field ? coerceValue(field, raw) : raw,
            );
          }
          missing = missing.filter(m => !hasValue(answers, m.name));
        }
        if (missing.length) {
          if (ctx.out.json) ctx.out.printJson(report(null, false));
          throw usageError(
            `missing answer${missing.length > 1 ? 's' : ''} for ${
              info.templateRef
            } ${info.latestVersion}: ${missing.map(m => m.name).join(', ')}`,
            describeMissing(missing),
          );
        }
        if (!options.yes) {
          if (!ctx.out.interactive) {
            if (ctx.out.json) ctx.out.printJson(report(null, false));
            throw usageError(
              'not upgraded: pass --yes to upgrade without a terminal',
            );
          }
          if (
            !(await confirm(
              `Upgrade ${info.entityRef} to ${info.latestVersion}?`,
            ))
          ) {
            ctx.out.note('Not upgraded.');
            if (ctx.out.json) ctx.out.printJson(report(null, false));
            return EXIT.usage;
          }
        }
        const res = await ctx.client.request<{ job: UpgradeJob }>(
          'POST',
          `/api/templates/projects/${entity.path}/upgrade`,
          {
            body: {
              toVersion: info.latestVersion,
              ...(Object.keys(answers).length ? { answers } : {}),
            },
          },
        );
        job = res.body.job;
        created = res.status === 202;
        ctx.out.line();
        ctx.out.line(
          created
            ? `Upgrade ${job.id} queued: ${info.entityRef} from ${job.fromVersion} to ${job.toVersion}.`
            : `The upgrade to ${job.toVersion} was asked for already: job ${job.id}, ${job.status}.`,
        );
      }

      if (options.wait) {
        job = await followUpgrade(ctx, job);
      }
      if (ctx.out.json) {
        ctx.out.printJson(report(job, created));
      } else if (FINISHED.includes(job.status)) {
        printUpgradeOutcome(ctx.out, job);
      } else {
        ctx.out.line(`Follow it: paved-road project upgrade ${name} --wait`);
      }
      return job.status === 'failed' ? EXIT.failed : EXIT.ok;
    }),
  );
}

export function registerProjectMergeUpgrade(project: Command, action: Action) {
  examples(
    project
      .command('merge-upgrade')
      .summary("Merge a project's clean template upgrade into its default branch")
      .description(
        "Merges the project's latest template upgrade into its default branch on the portal's local git hosting, as the Merge button on its page does: a fast-forward, allowed while the default branch has not moved since the upgrade was made, audited, and the catalog refreshed. On GitHub, merge the upgrade's pull request instead; an upgrade with conflicts is resolved and merged in a clone. Exits 2 when there is nothing to merge or the portal refuses.",
      )
      .argument('<project>', 'name, component:name or component:namespace/name')
      .option('--yes', 'merge without asking'),
    [
      'paved-road project merge-upgrade orders-service',
      'paved-road project merge-upgrade orders-service --yes --output json',
    ],
  ).action(
    action(async (ctx, name: string, options: { yes?: boolean }) => {
      const entity = parseEntityArg(name);
      const info = await getUpgradeInfo(ctx, entity);
      let job = info.job;
      if (!job) {
        throw usageError(
          `${info.entityRef} has no template upgrade to merge: paved-road project upgrade ${name}`,
        );
      }
      const merged = Boolean(job.mergedAt);
      if (!merged) {
        if (!FINISHED.includes(job.status)) {
          throw usageError(
            `upgrade ${job.id} to ${job.toVersion} is ${job.status}: paved-road project upgrade ${name} --wait follows it`,
          );
        }
        if (!options.yes) {
          if (!ctx.out.interactive) {
            throw usageError(
              'not merged: pass --yes to merge without a terminal',
            );
          }
          if (
            !(await confirm(
              `Merge ${job.result?.branch ?? job.id} into the default branch of ${info.entityRef}?`,
            ))
          ) {
            ctx.out.note('Not merged.');
            return EXIT.usage;
          }
        }
        job = (
          await ctx.client.request<{ job: UpgradeJob }>(
            'POST',
            `/api/templates/upgrades/${encodeURIComponent(job.id)}/merge`,
          )
        ).body.job;
      }
      if (ctx.out.json) {
        ctx.out.printJson({ entityRef: info.entityRef, merged: !merged, job });
        return EXIT.ok;
      }
      ctx.out.line(
        ctx.out.style(
          'green',
          `✔ ${merged ? 'Already merged' : 'Merged'}: ${
            job.result?.branch ?? job.id
          } (${job.templateRef} ${job.toVersion}) is in the default branch of ${
            info.entityRef
          }${
            job.mergedBy
              ? `, merged by ${job.mergedBy} at ${shortTime(job.mergedAt)}`
              : ''
          }`,
        ),
      );
      return EXIT.ok;
    }),
  );
}

/** Each job of a batch once it finished, and the batch when all have. */
async function followBatch(
  ctx: Context,
  started: UpgradeBatch,
): Promise<UpgradeBatch> {
  let batch = started;
  const told = new Set<string>();
  for (;;) {
    for (const job of batch.jobs) {
      if (!FINISHED.includes(job.status) || told.has(job.id)) continue;
      told.add(job.id);
      const mark =
        job.status === 'failed'
          ? ctx.out.styleProgress('red', '✖')
          : ctx.out.styleProgress(
              job.outcome === 'conflicts' ? 'yellow' : 'green',
              job.outcome === 'conflicts' ? '⚠' : '✔',
            );
      const link = jobLink(job);
      ctx.out.progress(
        `  ${mark} ${job.entityRef}: ${jobSummary(job)}${
          job.status === 'succeeded' && link ? ` (${link})` : ''
        }`,
      );
    }
    if (batch.jobs.every(j => FINISHED.includes(j.status))) return batch;
    await sleep(POLL_MS);
    batch = (
      await ctx.client.get<{ batch: UpgradeBatch }>(
        `/api/templates/batches/${encodeURIComponent(batch.id)}`,
      )
    ).batch;
  }
}

/** The versions table and the projects table of a template's fleet. */
export function printFleet(out: Output, fleet: TemplateFleet): void {
  if (out.json) return;
  out.line(
    `${out.style('bold', fleet.templateRef)}  latest version ${
      fleet.latestVersion ?? '-'
    }`,
  );
  out.table(
    ['VERSION', 'PROJECTS'],
    fleet.versions.map(v => [
      v.version === fleet.latestVersion ? `${v.version} (latest)` : v.version,
      v.count,
    ]),
  );
  out.line();
  out.table(
    [
      'PROJECT',
      'OWNER',
      'VERSION',
      'AVAILABLE',
      'LAST UPGRADE',
      'PULL REQUEST OR BRANCH',
    ],
    fleet.projects.map(p => [
      p.entityRef.replace(/^component:default\//, ''),
      p.owner ?? null,
      p.version ?? 'unknown',
      p.available ? fleet.latestVersion ?? null : '-',
      p.job ? `${p.job.toVersion}: ${jobSummary(p.job)}` : '-',
      p.job ? jobLink(p.job) : null,
    ]),
  );
}

type FleetOptions = {
  upgrade?: boolean;
  project: string[];
  wait?: boolean;
  yes?: boolean;
};

export function registerTemplateFleet(templates: Command, action: Action) {
  examples(
    templates
      .command('fleet')
      .summary(
        'The projects made from a template, their versions, and batch upgrades',
      )
      .description(
        "The projects made from a template: how many are on each version, each one's version, whether an upgrade is available and its last upgrade. With --upgrade, upgrades every out-of-date project (or the ones named with --project) to the latest version, one branch or pull request each, and lists the projects it skipped and why; --wait follows each upgrade to its outcome and exits 1 when one failed.",
      )
      .argument('<template>', 'template name, or template:namespace/name')
      .option(
        '--upgrade',
        'upgrade the out-of-date projects to the latest version',
      )
      .option(
        '--project <entity>',
        'with --upgrade: only this project (repeatable)',
        collect,
        [],
      )
      .option('--wait', 'with --upgrade: follow each upgrade to its outcome')
      .option('--yes', 'with --upgrade: upgrade without asking'),
    [
      'paved-road template fleet kotlin-spring-service',
      'paved-road template fleet kotlin-spring-service --upgrade --yes --wait',
      'paved-road template fleet kotlin-spring-service --upgrade --project orders-service --project billing-api --yes --output json',
    ],
  ).action(
    action(async (ctx, name: string, options: FleetOptions) => {
      const template = parseEntityArg(name, {
        defaultKind: 'template',
        what: 'template',
      });
      if (template.kind !== 'template') {
        throw usageError(
          `template: '${name}' is a ${template.kind}, not a template`,
        );
      }
      if (
        !options.upgrade &&
        (options.project.length || options.wait || options.yes)
      ) {
        throw usageError('--project, --wait and --yes go with --upgrade');
      }
      const path = `/api/templates/fleet/${encodeURIComponent(
        template.namespace,
      )}/${encodeURIComponent(template.name)}`;
      const fleet = await ctx.client.get<TemplateFleet>(path).catch(error => {
        throw namingTemplate(ctx, template.ref, error);
      });
      printFleet(ctx.out, fleet);
      if (!options.upgrade) {
        if (ctx.out.json) ctx.out.printJson(fleet);
        return EXIT.ok;
      }

      if (!fleet.latestVersion) {
        throw usageError(
          `${fleet.templateRef} declares no version to upgrade to`,
        );
      }
      const entityRefs = options.project.map(
        p => parseEntityArg(p, { what: '--project' }).ref,
      );
      const count =
        entityRefs.length || fleet.projects.filter(p => p.available).length;
      if (!options.yes) {
        if (!ctx.out.interactive) {
          if (ctx.out.json) ctx.out.printJson({ ...fleet, batch: null });
          throw usageError(
            'not upgraded: pass --yes to upgrade without a terminal',
          );
        }
        if (
          !(await confirm(
            `Upgrade ${count} project${count === 1 ? '' : 's'} to ${
              fleet.templateRef
            } ${fleet.latestVersion}?`,
          ))
        ) {
          ctx.out.note('Not upgraded.');
          if (ctx.out.json) ctx.out.printJson({ ...fleet, batch: null });
          return EXIT.usage;
        }
      }
      let { batch } = await ctx.client.post<{ batch: UpgradeBatch }>(
        `${path}/upgrades`,
        {
          body: {
            toVersion: fleet.latestVersion,
            ...(entityRefs.length ? { entityRefs } : {}),
          },
        },
      );
      ctx.out.line();
      ctx.out.line(
        `Batch ${batch.id}: ${batch.jobs.length} upgrade${
          batch.jobs.length === 1 ? '' : 's'
        } to ${batch.toVersion} queued, ${batch.skipped.length} skipped.`,
      );
      if (batch.skipped.length) {
        ctx.out.table(
          ['SKIPPED', 'REASON'],
          batch.skipped.map(s => [s.entityRef, s.reason]),
        );
      }
      if (options.wait && batch.jobs.length) {
        batch = await followBatch(ctx, batch);
      }
      if (ctx.out.json) {
        ctx.out.printJson({ ...fleet, batch });
      } else if (batch.jobs.length) {
        ctx.out.line();
        ctx.out.table(
          ['PROJECT', 'FROM', 'STATUS', 'PULL REQUEST OR BRANCH'],
          batch.jobs.map(j => [
            j.entityRef,
            j.fromVersion,
            jobSummary(j),
            jobLink(j),
          ]),
        );
      }
      return batch.jobs.some(j => j.status === 'failed')
        ? EXIT.failed
        : EXIT.ok;
    }),
  );
}
