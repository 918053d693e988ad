import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  Deployment,
  DeploymentSettingsVersion,
  ProjectState,
} from '@paved-road/plugin-deployments-common';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  ANNOTATION_TEMPLATE_VERSION,
  ProjectRecord,
} from '@paved-road/plugin-paved-road-common';
import { AuditStore } from '../database/AuditStore';
import { CatalogHygieneReporter } from '../hygiene/CatalogHygieneReporter';
import { getFromPlugin } from '../hygiene/getFromPlugin';
import { findProjectRecord } from '../service/projectRecord';
import { canonicalRef } from '../service/refs';
import { ENTITY_REF_DESCRIPTION } from './schemas';

const TIMEOUT_MS = 15_000;
const SOURCE_TEMPLATE = 'backstage.io/source-template';
const SOURCE_LOCATION = 'backstage.io/source-location';

type CostReport = {
  currency: string;
  monthToDate: number;
  forecast: number;
  estimate: { monthlyTotal: number; currency: string } | null;
};

function ownerOf(entity: Entity): string | null {
  return (
    entity.relations?.find(r => r.type === 'ownedBy')?.targetRef ??
    (entity.spec?.owner as string | undefined) ??
    null
  );
}

/** The template it came from: its creation record, else its annotations. */
function templateOf(
  record: ProjectRecord | undefined,
  annotations: Record<string, string>,
): { ref: string; version: string | null } | null {
  if (record) {
    return { ref: record.templateRef, version: record.templateVersion };
  }
  const ref = annotations[SOURCE_TEMPLATE];
  return ref
    ? { ref, version: annotations[ANNOTATION_TEMPLATE_VERSION] ?? null }
    : null;
}

/** `local, 3 × 500m CPU / 512 MiB, eu-west-1, canary 10%`. */
function describeSettings({ settings }: DeploymentSettingsVersion): string {
  const { rollout } = settings;
  return `${settings.cluster}, ${settings.replicas} × ${
    settings.cpuMillicores
  }m CPU / ${settings.memoryMiB} MiB, ${settings.regions.join(' + ')}, ${
    rollout.strategy === 'canary'
      ? `canary ${rollout.canaryPercent}%`
      : rollout.strategy
  }`;
}

export function createGetProjectAction(options: {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
  store: AuditStore;
  reporter: Pick<CatalogHygieneReporter, 'getReport'>;
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const { actionsRegistry, catalog, store, reporter } = options;

  /** Another Paved Road plugin's answer as the caller; null where it has none. */
  async function read<T>(
    pluginId: string,
    path: string,
    credentials: BackstageCredentials,
  ): Promise<T | null> {
    try {
      const response = await getFromPlugin(options, {
        pluginId,
        path,
        timeoutMs: TIMEOUT_MS,
        notFound: path,
        onBehalfOf: credentials,
      });
      return (await response.json()) as T;
    } catch (error) {
      // Nothing there, or not for this caller (costs may be owner-only).
      if (error instanceof NotFoundError) return null;
      if ((error as Error).name === 'ResponseError') {
        const { cause } = error as { cause: Error };
        if (cause.name === 'NotFoundError' || cause.name === 'NotAllowedError')
          return null;
      }
      throw error;
    }
  }

  actionsRegistry.register({
    name: 'get-project',
    title: 'Get a project',
    description: `Returns the Paved Road metadata of one project (a service or library in the catalog): owner, business unit, cost center, the template and version it was created from, its repository, who created it and when, whether it is deactivated, its deployment settings (summary and version), its last deployment, its monthly cost estimate and cost so far this month, and any catalog hygiene problems (missing or unknown owner or cost center, invalid settings file).
Use it to answer questions about a project, or after create-project with the \`entityRef\` get-project-creation-status returned. Fields the project does not have are null.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({ entityRef: z.string().describe(ENTITY_REF_DESCRIPTION) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          title: z.string(),
          description: z.string().nullable(),
          type: z.string().nullable().describe('e.g. `service`, `library`'),
          lifecycle: z.string().nullable(),
          owner: z.string().nullable().describe('The owning team, a Group ref'),
          businessUnit: z
            .string()
            .nullable()
            .describe('The business unit Group the owner rolls up to'),
          costCenter: z.string().nullable().describe('e.g. `CC-1001`'),
          template: z
            .object({ ref: z.string(), version: z.string().nullable() })
            .nullable()
            .describe('The template it was created from'),
          repository: z.string().nullable().describe('Repository URL'),
          createdBy: z.string().nullable(),
          createdAt: z.string().nullable(),
          createdByTask: z
            .string()
            .nullable()
            .describe('Scaffolder task id of its creation'),
          deactivated: z.boolean(),
          settings: z
            .object({
              version: z.number().int(),
              summary: z
                .string()
                .describe('cluster, replicas × CPU / memory, regions, rollout'),
              changedBy: z.string(),
              changedAt: z.string(),
            })
            .nullable()
            .describe(
              'Current deployment settings; get-deployment-settings has every field',
            ),
          lastDeployment: z
            .object({
              id: z.string(),
              environment: z.string(),
              status: z.string(),
              version: z.string(),
              triggeredBy: z.string(),
              startedAt: z.string(),
              finishedAt: z.string().nullable(),
            })
            .nullable(),
          cost: z
            .object({
              currency: z.string(),
              estimateMonthly: z
                .number()
                .nullable()
                .describe('Monthly estimate of the current settings'),
              monthToDate: z.number().describe('Actual cost this month so far'),
              forecast: z.number(),
            })
            .nullable()
            .describe('Null when costs are not available to the caller'),
          problems: z
            .array(z.object({ code: z.string(), message: z.string() }))
            .describe(
              'Catalog hygiene problems of this project; empty when none',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = canonicalRef(input.entityRef, 'entityRef', 'component');
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) {
        throw new NotFoundError(`${entityRef} is not in the catalog`);
      }
      const { kind, namespace, name } = parseEntityRef(entityRef);
      const path = `/entities/${namespace}/${kind}/${name}`;
      const [record, state, settings, deployments, costs, hygiene] =
        await Promise.all([
          findProjectRecord(store, entityRef, entity),
          read<ProjectState>('deployments', `${path}/project`, credentials),
          read<DeploymentSettingsVersion>(
            'deployments',
            `${path}/settings`,
            credentials,
          ),
          read<{ items: Deployment[] }>(
            'deployments',
            `${path}/deployments?limit=1`,
            credentials,
          ),
          read<CostReport>('costs', `${path}/costs`, credentials),
          reporter.getReport(),
        ]);
      const annotations = entity.metadata.annotations ?? {};
      const last = deployments?.items[0];
      const problems = hygiene.groups
        .flatMap(group => group.items)
        .filter(item => item.entityRef.toLocaleLowerCase('en-US') === entityRef)
        .flatMap(item => item.problems)
        .map(problem => ({ code: problem.code, message: problem.message }));

      return {
        output: {
          entityRef,
          title: entity.metadata.title ?? entity.metadata.name,
          description: entity.metadata.description ?? null,
          type: (entity.spec?.type as string | undefined) ?? null,
          lifecycle: (entity.spec?.lifecycle as string | undefined) ?? null,
          owner: ownerOf(entity),
          businessUnit: annotations[ANNOTATION_BUSINESS_UNIT] ?? null,
          costCenter: annotations[ANNOTATION_COST_CENTER] ?? null,
          template: templateOf(record, annotations),
          repository:
            record?.repoUrl ??
            state?.repoUrl ??
            annotations[SOURCE_LOCATION]?.replace(/^url:/, '') ??
            null,
          createdBy: record?.createdBy ?? null,
          createdAt: record?.createdAt ?? null,
          createdByTask: record?.taskId ?? null,
          deactivated: state?.deactivated ?? false,
          settings: settings && {
            version: settings.version,
            summary: describeSettings(settings),
            changedBy: settings.createdBy,
            changedAt: settings.createdAt,
          },
          lastDeployment: last
            ? {
                id: last.id,
                environment: last.environment,
                status: last.status,
                version: last.version,
                triggeredBy: last.triggeredBy,
                startedAt: last.startedAt,
                finishedAt: last.finishedAt,
              }
            : null,
          cost: costs && {
            currency: costs.currency,
            estimateMonthly: costs.estimate?.monthlyTotal ?? null,
            monthToDate: costs.monthToDate,
            forecast: costs.forecast,
          },
          problems,
        },
      };
    },
  });
}
