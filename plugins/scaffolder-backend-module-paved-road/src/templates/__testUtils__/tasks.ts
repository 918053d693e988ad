import { execFileSync } from 'node:child_process';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import request from 'supertest';
import yaml from 'yaml';
import { JsonObject, LoadedTemplate } from './scaffolder';

/**
 * The template as the catalog serves it: located at its template.yaml on
 * disk, so fetch:template reads ./skeleton from there.
 */
export function templateInCatalog(template: LoadedTemplate): Entity {
  return {
    ...template.entity,
    metadata: {
      ...template.entity.metadata,
      namespace: 'default',
      annotations: {
        ...template.entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${template.file}`,
      },
    },
  };
}

/**
 * Wraps the in-memory catalog so that paved-road:catalog:register works: a location
 * `<...>/api/local-git/<name>/raw/<ref>/<path>` is read from the bare
 * repository in `gitDir`, the way the real catalog reads it over HTTP.
 */
export function withLocalGitLocations(
  catalog: CatalogService,
  gitDir: string,
): CatalogService {
  // Entities of registered locations become readable, as in the real
  // catalog once it has processed them.
  const registered = new Map<string, Entity>();
  const getEntityByRef: CatalogService['getEntityByRef'] = async (
    ref,
    options,
  ) => {
    const key = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
    return (
      registered.get(key.toLocaleLowerCase('en-US')) ??
      catalog.getEntityByRef(ref, options)
    );
  };
  const addLocation: CatalogService['addLocation'] = async location => {
    const m = /\/api\/local-git\/([^/]+)\/raw\/([^/]+)\/(.+)$/.exec(
      location.target,
    );
    if (!m) {
      throw new Error(`test catalog cannot read ${location.target}`);
    }
    const [, name, ref, path] = m;
    const content = execFileSync(
      'git',
      [
        '--git-dir',
        join(gitDir, `${name}.git`),
        'show',
        `${decodeURIComponent(ref)}:${path}`,
      ],
      { encoding: 'utf8' },
    );
    const entities = yaml
      .parseAllDocuments(content)
      .map(d => d.toJS() as Entity)
      .map(e => ({
        ...e,
        metadata: { namespace: 'default', ...e.metadata },
      }));
    for (const entity of entities) {
      // As the catalog stores them: with the location they came from.
      registered.set(stringifyEntityRef(entity).toLocaleLowerCase('en-US'), {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [ANNOTATION_LOCATION]: `url:${location.target}`,
            [ANNOTATION_ORIGIN_LOCATION]: `url:${location.target}`,
          },
        },
      });
    }
    return {
      location: {
        id: `location-${name}`,
        type: location.type ?? 'url',
        target: location.target,
        entityRef: `location:default/generated-${name}`,
      },
      entities,
      exists: false,
    };
  };
  // A proxy, not a subclass: the in-memory client keeps private fields.
  return new Proxy(catalog, {
    get(target, prop) {
      if (prop === 'addLocation') return addLocation;
      if (prop === 'getEntityByRef') return getEntityByRef;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export type TaskResult = {
  status: string;
  /** Steps that started, in order (a step whose `if` is false too). */
  startedSteps: string[];
  /** Steps whose `if` was false, in order. */
  skippedSteps: string[];
  failedStep?: { id: string; message: string };
  output?: JsonObject;
};

/** Creates a task through the API and waits until it ends. */
export async function runTask(
  server: Server,
  body: { templateRef: string; values: JsonObject },
): Promise<TaskResult> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .send(body);
  if (created.status !== 201) {
    throw new Error(
      `POST /v2/tasks answered ${created.status}: ${JSON.stringify(
        created.body,
      )}`,
    );
  }
  const id = created.body.id;
  const deadline = Date.now() + 60_000;
  let task: JsonObject;
  for (;;) {
    task = (await request(server).get(`/api/scaffolder/v2/tasks/${id}`)).body;
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    if (Date.now() > deadline) throw new Error(`task ${id} did not finish`);
    await new Promise(r => setTimeout(r, 100));
  }
  const events: Array<{ type: string; body: JsonObject }> = (
    await request(server).get(`/api/scaffolder/v2/tasks/${id}/events`)
  ).body;

  const startedSteps: string[] = [];
  const skippedSteps: string[] = [];
  let failedStep: TaskResult['failedStep'];
  for (const { body: e } of events) {
    if (
      e.stepId &&
      e.status === 'processing' &&
      !startedSteps.includes(e.stepId)
    ) {
      startedSteps.push(e.stepId);
    }
    if (e.stepId && e.status === 'skipped') {
      skippedSteps.push(e.stepId);
    }
    if (e.stepId && e.status === 'failed' && !failedStep) {
      const firstLine = String(e.message).split('\n')[0];
      failedStep = {
        id: e.stepId,
        message: firstLine.replace(/^\w*Error: /, ''),
      };
    }
  }
  const completion = events.find(e => e.type === 'completion');
  return {
    status: task.status,
    startedSteps,
    skippedSteps,
    failedStep,
    output: completion?.body.output,
  };
}

/**
 * Stands in for paved-road-backend's POST /api/paved-road/audit/events
 * (paved-road:project:record) and keeps the events it receives.
 */
export function auditTrailPlugin(records: JsonObject[]) {
  return createBackendPlugin({
    pluginId: 'paved-road',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use(
            (
              req: IncomingMessage & { path?: string },
              res: ServerResponse,
              next: () => void,
            ) => {
              if (req.method !== 'POST' || req.url !== '/audit/events') {
                next();
                return;
              }
              let body = '';
              req.setEncoding('utf8');
              req.on('data', chunk => {
                body += chunk;
              });
              req.on('end', () => {
                records.push(JSON.parse(body));
                res.statusCode = 201;
                res.setHeader('content-type', 'application/json');
                res.end('{}');
              });
            },
          );
        },
      });
    },
  });
}
