import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_DECLARED_TEMPLATE_VERSION,
  ANNOTATION_TEMPLATE_VERSION,
} from '@paved-road/plugin-paved-road-common';
import { UNVERSIONED } from '@paved-road/plugin-templates-common';
import type {
  DatabaseTemplateHealthStore,
  HealthProject,
  HealthTask,
  HealthTemplate,
} from './DatabaseTemplateHealthStore';
import { ANNOTATION_SOURCE_TEMPLATE, oneEntityPerProject } from '../projects';

/** The annotation the scaffolder writes on entities a template made. */

const PAGE_SIZE = 100;
const FINISHED = ['completed', 'failed', 'cancelled'] as const;
// Tasks can finish long after they were created; a page of known tasks only
// ends the walk once it is older than this, so late finishers are found.
const LATE_FINISH_MS = 24 * 60 * 60 * 1000;
const TIMEOUT_MS = 35_000;
const DEPLOYMENT_LOOKUPS = 4;
const FINISHED_DEPLOYMENT = new Set(['succeeded', 'failed', 'rolled-back']);

/** `GET /v2/tasks` item of the scaffolder (its `serializeTask`). */
type ScaffolderTask = {
  id: string;
  spec: {
    templateInfo?: {
      entityRef?: string;
      entity?: { metadata?: { annotations?: Record<string, string> } };
    };
  };
  status: string;
  createdAt: string;
  createdBy?: string;
};

/** `GET /v2/tasks/:id/events` item of the scaffolder. */
type ScaffolderEvent = {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt: string;
  body: { stepId?: string; status?: string; message?: string };
};

function normalizeRef(ref: string, defaultKind: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

/**
 * Copies what template health needs into its own tables: finished tasks from
 * the scaffolder's API (only the new ones), the catalog's templates, and the
 * projects made from them with their latest deployment from the deployments
 * API. Run by the scheduler, one replica at a time.
 */
export class TemplateHealthCollector {
  constructor(
    private readonly options: {
      store: DatabaseTemplateHealthStore;
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async collect(): Promise<{ tasks: number; projects: number }> {
    const tasks = await this.collectTasks();
    const projects = await this.collectCatalog();
    return { tasks, projects };
  }

  /** Reads finished tasks newest first until a page holds nothing new. */
  async collectTasks(): Promise<number> {
    const now = (this.options.now?.() ?? new Date()).getTime();
    let added = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const params = new URLSearchParams([
        ...FINISHED.map(status => ['status', status]),
        ['order', 'desc:created_at'],
        ['limit', String(PAGE_SIZE)],
        ['offset', String(offset)],
      ]);
      const { tasks } = (await this.request(
        'scaffolder',
        `/v2/tasks?${params}`,
      )) as { tasks: ScaffolderTask[] };
      const known = await this.options.store.knownTaskIds(tasks.map(t => t.id));
      const fresh = tasks.filter(t => !known.has(t.id));
      const rows: HealthTask[] = [];
      for (const task of fresh) {
        const row = await this.toHealthTask(task);
        if (row) {
          rows.push(row);
        }
      }
      await this.options.store.addTasks(rows);
      added += rows.length;

      const oldest = tasks[tasks.length - 1];
      const settled =
        fresh.length === 0 &&
        oldest !== undefined &&
        now - Date.parse(oldest.createdAt) > LATE_FINISH_MS;
      if (tasks.length < PAGE_SIZE || settled) {
        return added;
      }
    }
  }

  private async toHealthTask(
    task: ScaffolderTask,
  ): Promise<HealthTask | undefined> {
    const templateInfo = task.spec.templateInfo;
    // Dry runs and tasks from a template entity the scaffolder did not record.
    if (!templateInfo?.entityRef) {
      return undefined;
    }
    let templateRef: string;
    try {
      templateRef = normalizeRef(templateInfo.entityRef, 'template');
    } catch {
      return undefined;
    }
    if (templateRef === 'template:default/dry-run') {
      return undefined;
    }
    const events = (await this.request(
      'scaffolder',
      `/v2/tasks/${encodeURIComponent(task.id)}/events`,
    )) as ScaffolderEvent[];
    const end = [...events]
      .reverse()
      .find(e => e.type === 'completion' || e.type === 'cancelled');
    const failed = events.find(
      e => e.type === 'log' && e.body.status === 'failed' && e.body.stepId,
    );
    const createdAt = new Date(task.createdAt);
    const finishedAt = end ? new Date(end.createdAt) : undefined;
    return {
      taskId: task.id,
      templateRef,
      version:
        templateInfo.entity?.metadata?.annotations?.[
          ANNOTATION_DECLARED_TEMPLATE_VERSION
        ] ?? UNVERSIONED,
      status: task.status as HealthTask['status'],
      ...(task.createdBy ? { createdBy: task.createdBy } : {}),
      createdAt,
      ...(finishedAt
        ? {
            finishedAt,
            durationMs: Math.max(0, finishedAt.getTime() - createdAt.getTime()),
          }
        : {}),
      ...(task.status === 'failed' && failed?.body.stepId
        ? { failedStep: failed.body.stepId }
        : {}),
    };
  }

  /** Replaces the templates and projects with what the catalog holds now. */
  async collectCatalog(): Promise<number> {
    const { catalog, auth, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const fields = [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'metadata.annotations',
    ];
    const [{ items: templateEntities }, { items: projectEntities }] =
      await Promise.all([
        catalog.getEntities(
          { filter: { kind: 'template' }, fields },
          { credentials },
        ),
        catalog.getEntities(
          {
            filter: {
              [`metadata.annotations.${ANNOTATION_SOURCE_TEMPLATE}`]:
                CATALOG_FILTER_EXISTS,
            },
            fields,
          },
          { credentials },
        ),
      ]);

    const templates: HealthTemplate[] = templateEntities.map(entity => ({
      templateRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      ...(entity.metadata.annotations?.[ANNOTATION_DECLARED_TEMPLATE_VERSION]
        ? {
            latestVersion:
              entity.metadata.annotations[ANNOTATION_DECLARED_TEMPLATE_VERSION],
          }
        : {}),
    }));

    const projects: HealthProject[] = [];
    const queue = oneEntityPerProject(projectEntities);
    const worker = async () => {
      for (let entity = queue.shift(); entity; entity = queue.shift()) {
        const project = await this.toHealthProject(entity);
        if (project) {
          projects.push(project);
        }
      }
    };
    await Promise.all(Array.from({ length: DEPLOYMENT_LOOKUPS }, worker));
    await store.replaceCatalog(
      templates,
      projects,
      this.options.now?.() ?? new Date(),
    );
    return projects.length;
  }

  private async toHealthProject(
    entity: Entity,
  ): Promise<HealthProject | undefined> {
    const annotations = entity.metadata.annotations ?? {};
    let templateRef: string;
    try {
      templateRef = normalizeRef(
        annotations[ANNOTATION_SOURCE_TEMPLATE],
        'template',
      );
    } catch {
      return undefined;
    }
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    return {
      entityRef,
      templateRef,
      version: annotations[ANNOTATION_TEMPLATE_VERSION] ?? UNVERSIONED,
      ...(await this.latestDeploymentStatus(entity).then(status =>
        status ? { deploymentStatus: status } : {},
      )),
    };
  }

  /**
   * The status of the entity's latest finished deployment, from the
   * deployments API; none when it was never deployed, is not deployable
   * (404) or the API cannot be read.
   */
  private async latestDeploymentStatus(
    entity: Entity,
  ): Promise<string | undefined> {
    const path = [
      entity.metadata.namespace ?? 'default',
      entity.kind,
      entity.metadata.name,
    ]
      .map(encodeURIComponent)
      .join('/');
    try {
      const { items } = (await this.request(
        'deployments',
        `/entities/${path}/deployments?limit=20`,
      )) as { items: { status: string }[] };
      return items.find(d => FINISHED_DEPLOYMENT.has(d.status))?.status;
    } catch (error) {
      if (!(error instanceof ResponseError && error.statusCode === 404)) {
        this.options.logger.warn(
          `Template health: no deployments of ${stringifyEntityRef(
            entity,
          )}: ${error}`,
        );
      }
      return undefined;
    }
  }

  private async request(pluginId: string, path: string): Promise<unknown> {
    const { auth, discovery } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const response = await fetch(
      `${await discovery.getBaseUrl(pluginId)}${path}`,
      {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}
