import { Command } from 'commander';
import type {
  CostEstimate,
  EntityCostReport,
} from '@paved-road/plugin-costs-common';
import {
  formatSloProblem,
  type Deployment,
  type DeploymentSettingsVersion,
  type ProjectState,
  type ServiceLevelObjectivesResponse,
} from '@paved-road/plugin-deployments-common';
import type {
  DeploymentSettings,
  ProjectRecord,
} from '@paved-road/plugin-paved-road-common';
import type { ProjectUpgradeInfo } from '@paved-road/plugin-templates-common';
import { Context } from '../lib/context';
import { EntityArg, groupRef, parseEntityArg } from '../lib/entityRef';
import { CliError, EXIT, usageError } from '../lib/errors';
import { money, shortTime } from '../lib/output';
import { confirm } from '../lib/prompt';
import { CatalogEntity, entityRefOf, queryCatalog } from './templates';
import { Action, examples } from './shared';

const ANNOTATION_COST_CENTER = 'paved-road.io/cost-center';
const ANNOTATION_BUSINESS_UNIT = 'paved-road.io/business-unit';
const ANNOTATION_DEPLOYMENT = 'paved-road.io/deployment';
const ANNOTATION_SOURCE_TEMPLATE = 'backstage.io/source-template';
const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';

/** One line per objective of `deploy/slo.yaml`, and what is wrong with it. */
function sloFields(
  slos: ServiceLevelObjectivesResponse | null,
  ctx: Context,
): Array<[string, string | null]> {
  if (!slos) return [];
  if (!slos.found) return [['SLOs', `none (no ${slos.file})`]];
  const lines: Array<[string, string | null]> = slos.slos.flatMap(slo =>
    slo.objectives.map(
      objective =>
        [
          `SLO ${slo.displayName ?? slo.name}`,
          `${objective.displayName ?? `${objective.target * 100} %`} over ${
            slo.timeWindow.duration
          }${slo.timeWindow.isRolling ? ' rolling' : ''}; error budget ${
            objective.errorBudget.duration ??
            `${(objective.errorBudget.fraction * 100).toFixed(2)} %`
          }`,
        ] as [string, string],
    ),
  );
  for (const problem of slos.problems) {
    lines.push([
      'SLO problem',
      ctx.out.style('red', `${slos.file}: ${formatSloProblem(problem)}`),
    ]);
  }
  return lines;
}

/** Resolves to null when the portal answers 404 (the piece does not exist). */
export async function unlessNotFound<T>(
  request: Promise<T>,
): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.notFound)
      return null;
    throw error;
  }
}

/** The catalog entity; a 404 says which entity is missing. */
export async function getEntity(
  ctx: Context,
  entity: EntityArg,
): Promise<CatalogEntity> {
  const found = await unlessNotFound(
    ctx.client.get<CatalogEntity>(
      `/api/catalog/entities/by-name/${encodeURIComponent(
        entity.kind,
      )}/${encodeURIComponent(entity.namespace)}/${encodeURIComponent(
        entity.name,
      )}`,
    ),
  );
  if (!found) {
    throw new CliError(
      `No entity ${entity.ref} in the catalog of ${ctx.url}`,
      EXIT.notFound,
    );
  }
  return found;
}

function ownerOf(entity: CatalogEntity): string | null {
  return (
    entity.relations?.find(r => r.type === 'ownedBy')?.targetRef ??
    (entity.spec?.owner as string | undefined) ??
    null
  );
}

function sourceLocation(entity: CatalogEntity): string | null {
  const value = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  return value ? value.replace(/^url:/, '') : null;
}

/** The template a project came from: its creation record, else its annotation. */
function templateOf(
  record: ProjectRecord | null,
  annotation: string | undefined,
): { ref: string; version: string | null } | null {
  if (record)
    return { ref: record.templateRef, version: record.templateVersion };
  return annotation ? { ref: annotation, version: null } : null;
}

/** `local, 3 × 500m CPU / 512 MiB, eu-west-1, canary 10%`. */
export function describeSettings(settings: DeploymentSettings): string {
  const rollout =
    settings.rollout.strategy === 'canary'
      ? `canary ${settings.rollout.canaryPercent}%`
      : settings.rollout.strategy;
  return `${settings.cluster}, ${settings.replicas} × ${
    settings.cpuMillicores
  }m CPU / ${settings.memoryMiB} MiB, ${settings.regions.join(
    ' + ',
  )}, ${rollout}`;
}

/** Registers `projects …`, `project …`, `deactivate` and `reactivate`; returns `project`. */
export function registerProjectCommands(
  program: Command,
  action: Action,
): Command {
  const projects = program
    .command('projects')
    .description('Projects the paved road made, or that deploy through it');

  examples(
    projects
      .command('list')
      .description(
        'Components created from a template or carrying deployment settings, with owner, business unit, cost center and template',
      )
      .option(
        '--owner <group>',
        'owned by this team, e.g. checkout or group:default/checkout',
      )
      .option(
        '--cost-center <code>',
        'billed to this cost center, e.g. CC-1001',
      )
      .option('--business-unit <group>', 'in this business unit, e.g. payments')
      .option('--template <name>', 'created from this template'),
    [
      'paved-road projects list',
      'paved-road projects list --owner checkout',
      'paved-road projects list --business-unit payments --output json',
    ],
  ).action(
    action(
      async (
        ctx,
        options: {
          owner?: string;
          costCenter?: string;
          businessUnit?: string;
          template?: string;
        },
      ) => {
        const conditions: string[] = ['kind=component'];
        if (options.owner)
          conditions.push(
            `relations.ownedBy=${groupRef(options.owner, '--owner')}`,
          );
        if (options.costCenter) {
          if (!/^CC-\d{4,6}$/.test(options.costCenter)) {
            throw usageError(
              `--cost-center: '${options.costCenter}' is not a cost center like CC-1001`,
            );
          }
          conditions.push(
            `metadata.annotations.${ANNOTATION_COST_CENTER}=${options.costCenter}`,
          );
        }
        if (options.businessUnit) {
          conditions.push(
            `metadata.annotations.${ANNOTATION_BUSINESS_UNIT}=${groupRef(
              options.businessUnit,
              '--business-unit',
            )}`,
          );
        }
        const filters = options.template
          ? [
              [
                ...conditions,
                `metadata.annotations.${ANNOTATION_SOURCE_TEMPLATE}=${
                  parseEntityArg(options.template, {
                    defaultKind: 'template',
                    what: '--template',
                  }).ref
                }`,
              ],
            ]
          : [
              [
                ...conditions,
                `metadata.annotations.${ANNOTATION_SOURCE_TEMPLATE}`,
              ],
              [...conditions, `metadata.annotations.${ANNOTATION_DEPLOYMENT}`],
            ];
        const entities = await queryCatalog(
          ctx,
          filters.map(f => f.join(',')),
          [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'metadata.annotations',
            'spec.type',
            'spec.owner',
            'spec.lifecycle',
            'relations',
          ],
        );
        const seen = new Set<string>();
        const items = entities
          .filter(e => !seen.has(entityRefOf(e)) && seen.add(entityRefOf(e)))
          .map(e => ({
            entityRef: entityRefOf(e),
            name: e.metadata.name,
            title: e.metadata.title ?? e.metadata.name,
            type: (e.spec?.type as string | undefined) ?? null,
            lifecycle: (e.spec?.lifecycle as string | undefined) ?? null,
            owner: ownerOf(e),
            businessUnit:
              e.metadata.annotations?.[ANNOTATION_BUSINESS_UNIT] ?? null,
            costCenter:
              e.metadata.annotations?.[ANNOTATION_COST_CENTER] ?? null,
            template:
              e.metadata.annotations?.[ANNOTATION_SOURCE_TEMPLATE] ?? null,
            repository: sourceLocation(e),
          }));
        if (ctx.out.json) return ctx.out.printJson({ items });
        ctx.out.table(
          [
            'NAME',
            'TYPE',
            'OWNER',
            'BUSINESS UNIT',
            'COST CENTER',
            'TEMPLATE',
            'LIFECYCLE',
          ],
          items.map(p => [
            p.name,
            p.type,
            p.owner,
            p.businessUnit,
            p.costCenter,
            p.template?.replace(/^template:default\//, '') ?? null,
            p.lifecycle,
          ]),
        );
        return undefined;
      },
    ),
  );

  const project = program
    .command('project')
    .description("One project's paved-road metadata");

  examples(
    project
      .command('show')
      .description(
        'Business unit, cost center, template and version, repository, creator, current settings, service level objectives, last deployment and the cost estimate',
      )
      .argument('<entity>', 'name, component:name or component:namespace/name'),
    [
      'paved-road project show orders-service',
      'paved-road project show component:default/orders-service --output json',
    ],
  ).action(
    action(async (ctx, name: string) => {
      const entity = parseEntityArg(name);
      const catalogEntity = await getEntity(ctx, entity);
      const [record, state, settings, deployments, costs, upgrade, slos] =
        await Promise.all([
          unlessNotFound(
            ctx.client.get<ProjectRecord>(
              `/api/paved-road/projects/${entity.path}`,
            ),
          ),
          unlessNotFound(
            ctx.client.get<ProjectState>(
              `/api/deployments/entities/${entity.path}/project`,
            ),
          ),
          unlessNotFound(
            ctx.client.get<DeploymentSettingsVersion>(
              `/api/deployments/entities/${entity.path}/settings`,
            ),
          ),
          unlessNotFound(
            ctx.client.get<{ items: Deployment[] }>(
              `/api/deployments/entities/${entity.path}/deployments`,
              {
                query: { limit: 1 },
              },
            ),
          ),
          unlessNotFound(
            ctx.client.get<EntityCostReport>(
              `/api/costs/entities/${entity.path}/costs`,
            ),
          ),
          unlessNotFound(
            ctx.client.get<ProjectUpgradeInfo>(
              `/api/templates/projects/${entity.path}/upgrade`,
            ),
          ),
          // Read from the project's repository: one it cannot reach (409)
          // leaves the rest of the page standing.
          unlessNotFound(
            ctx.client.get<ServiceLevelObjectivesResponse>(
              `/api/deployments/entities/${entity.path}/slos`,
            ),
          ).catch(error =>
            error instanceof CliError && error.exitCode === EXIT.usage
              ? null
              : Promise.reject(error),
          ),
        ]);
      const annotations = catalogEntity.metadata.annotations ?? {};
      const result = {
        entityRef: entity.ref,
        title: catalogEntity.metadata.title ?? catalogEntity.metadata.name,
        description: catalogEntity.metadata.description ?? null,
        type: (catalogEntity.spec?.type as string | undefined) ?? null,
        lifecycle:
          (catalogEntity.spec?.lifecycle as string | undefined) ?? null,
        owner: ownerOf(catalogEntity),
        businessUnit: annotations[ANNOTATION_BUSINESS_UNIT] ?? null,
        costCenter: annotations[ANNOTATION_COST_CENTER] ?? null,
        template: templateOf(record, annotations[ANNOTATION_SOURCE_TEMPLATE]),
        upgrade: upgrade
          ? {
              available: upgrade.available,
              latestVersion: upgrade.latestVersion ?? null,
              reason: upgrade.reason ?? null,
            }
          : null,
        repository:
          record?.repoUrl ?? state?.repoUrl ?? sourceLocation(catalogEntity),
        createdBy: record?.createdBy ?? null,
        createdAt: record?.createdAt ?? null,
        createdByTask: record?.taskId ?? null,
        deactivated: state?.deactivated ?? false,
        deactivatedBy: state?.deactivatedBy ?? null,
        deactivatedAt: state?.deactivatedAt ?? null,
        settingsError: state?.settingsError ?? null,
        settings: settings ?? null,
        serviceLevelObjectives: slos ?? null,
        lastDeployment: deployments?.items[0] ?? null,
        cost: costs
          ? {
              currency: costs.currency,
              monthToDate: costs.monthToDate,
              forecast: costs.forecast,
              estimate: (costs.estimate as CostEstimate | null) ?? null,
              budget: costs.budget,
            }
          : null,
      };
      if (ctx.out.json) return ctx.out.printJson(result);

      const last = result.lastDeployment;
      ctx.out.line(
        `${ctx.out.style('bold', result.title)}  (${result.entityRef})`,
      );
      if (result.description) ctx.out.line(result.description);
      ctx.out.line();
      ctx.out.fields([
        ['Owner', result.owner],
        ['Business unit', result.businessUnit],
        ['Cost center', result.costCenter],
        [
          'Template',
          result.template
            ? `${result.template.ref}${
                result.template.version
                  ? ` (version ${result.template.version})`
                  : ''
              }${
                result.upgrade?.available
                  ? `; ${ctx.out.style(
                      'yellow',
                      `${result.upgrade.latestVersion} available`,
                    )}: paved-road project upgrade ${name}`
                  : ''
              }`
            : null,
        ],
        ['Repository', result.repository],
        [
          'Created',
          result.createdAt
            ? `${shortTime(result.createdAt)} by ${result.createdBy}`
            : null,
        ],
        [
          'State',
          result.deactivated
            ? ctx.out.style(
                'yellow',
                `deactivated by ${result.deactivatedBy} at ${shortTime(
                  result.deactivatedAt,
                )}`,
              )
            : `active (lifecycle ${result.lifecycle ?? '-'})`,
        ],
        [
          'Settings',
          result.settings
            ? `version ${result.settings.version}: ${describeSettings(
                result.settings.settings,
              )}`
            : null,
        ],
        ...(result.settingsError
          ? ([
              [
                'Settings error',
                ctx.out.style('red', result.settingsError.message),
              ],
            ] as Array<[string, string]>)
          : []),
        ...sloFields(result.serviceLevelObjectives, ctx),
        [
          'Last deployment',
          last
            ? `${last.status} ${shortTime(last.startedAt)} by ${
                last.triggeredBy
              } (${last.environment}, ${last.version.slice(0, 12)})`
            : null,
        ],
        [
          'Estimate',
          result.cost?.estimate
            ? `${money(
                result.cost.estimate.monthlyTotal,
                result.cost.estimate.currency,
              )} a month`
            : null,
        ],
        [
          'Month to date',
          result.cost
            ? `${money(
                result.cost.monthToDate,
                result.cost.currency,
              )} (forecast ${money(
                result.cost.forecast,
                result.cost.currency,
              )})`
            : null,
        ],
      ]);
      return undefined;
    }),
  );

  for (const [verb, deactivate] of [
    ['deactivate', true],
    ['reactivate', false],
  ] as const) {
    examples(
      program
        .command(verb)
        .summary(
          deactivate
            ? 'Deactivate a project (settings changes are then refused)'
            : 'Reactivate a deactivated project',
        )
        .description(
          deactivate
            ? 'Deactivate a project: commits spec.lifecycle: deprecated to its repository; settings changes are refused until it is reactivated. Asks first unless --yes.'
            : 'Reactivate a deactivated project',
        )
        .argument(
          '<entity>',
          'name, component:name or component:namespace/name',
        )
        .option(
          '--yes',
          deactivate
            ? 'do not ask'
            : 'accepted for symmetry; reactivating does not ask',
        ),
      [`paved-road ${verb} orders-service${deactivate ? ' --yes' : ''}`],
    ).action(
      action(async (ctx, name: string, options: { yes?: boolean }) => {
        const entity = parseEntityArg(name);
        if (deactivate && !options.yes) {
          if (!ctx.out.interactive) {
            throw usageError(
              `not deactivated: pass --yes to deactivate ${entity.ref} without a terminal`,
            );
          }
          if (!(await confirm(`Deactivate ${entity.ref}?`))) {
            ctx.out.note('Not deactivated.');
            return EXIT.usage;
          }
        }
        const state = await ctx.client.post<ProjectState>(
          `/api/deployments/entities/${entity.path}/${verb}`,
        );
        if (ctx.out.json) return ctx.out.printJson(state);
        ctx.out.line(
          state.deactivated
            ? `${entity.ref} is deactivated (by ${
                state.deactivatedBy
              } at ${shortTime(state.deactivatedAt)}).`
            : `${entity.ref} is active.`,
        );
        return undefined;
      }),
    );
  }
  return project;
}
