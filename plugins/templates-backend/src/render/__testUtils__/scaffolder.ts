import fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  AuthService,
  coreServices,
  createBackendPlugin,
  DiscoveryService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { JsonObject } from '@backstage/types';
// The scaffolder as packages/backend composes it: the Paved Road module
// checks at start that the local git hosting is installed beside it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import scaffolderModulePavedRoad from '@paved-road/plugin-scaffolder-backend-module-paved-road';
import {
  applyTemplateParameterDefaults,
  TemplateParameterSchema,
} from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { TemplateRenderer } from '../TemplateRenderer';
import { TemplateSource } from '../../templates/TemplateSource';

/** The repository root, where templates/ lives. */
export const REPO_ROOT = resolve(__dirname, '../../../../..');

/** The Groups of templates/sample-org/org.yaml, for paved-road:cost-center:resolve. */
async function sampleOrg(): Promise<Entity[]> {
  const text = await fs.readFile(
    join(REPO_ROOT, 'templates/sample-org/org.yaml'),
    'utf8',
  );
  return parseAllDocuments(text)
    .map(doc => doc.toJS() as Entity)
    .filter(e => e?.kind === 'Group')
    .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));
}

/** A template read from `dir`, located there as the catalog would have it. */
export async function templateEntity(dir: string): Promise<Entity> {
  const file = join(dir, 'template.yaml');
  const entity = parseAllDocuments(await fs.readFile(file, 'utf8'))[0].toJS();
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      namespace: 'default',
      annotations: {
        ...entity.metadata.annotations,
        'backstage.io/managed-by-location': `file:${file}`,
      },
    },
  };
}

/**
 * The template with its steps up to publishing, which writes the pristine
 * render: registering and recording need a catalog and an audit trail
 * these tests do not run, and an upgrade renders none of them.
 */
export function upToPublish(entity: Entity): Entity {
  const steps = entity.spec!.steps as Array<{ id: string }>;
  return {
    ...entity,
    spec: {
      ...entity.spec,
      steps: steps.slice(0, steps.findIndex(s => s.id === 'publish') + 1),
    },
  };
}

/** Values as the portal's form and the CLI send them: defaults filled in. */
export function withFormDefaults(
  entity: Entity,
  values: JsonObject,
): JsonObject {
  return applyTemplateParameterDefaults(
    (entity.spec!.parameters as TemplateParameterSchema[]).map(schema => ({
      title: '',
      schema,
    })),
    values,
  ) as JsonObject;
}

type Services = {
  auth: AuthService;
  discovery: DiscoveryService;
  reader: UrlReaderService;
  logger: LoggerService;
};

/**
 * The real scaffolder with the Paved Road module, publishing to local git
 * in `gitDir`, a catalog of the sample organisation and `entities`, and the
 * services the templates plugin renders with.
 */
export async function startScaffolder(options: {
  gitDir: string;
  entities: Entity[];
}) {
  let services: Services | undefined;
  const servicesPlugin = createBackendPlugin({
    pluginId: 'templates',
    register(env) {
      env.registerInit({
        deps: {
          auth: coreServices.auth,
          discovery: coreServices.discovery,
          reader: coreServices.urlReader,
          logger: coreServices.logger,
        },
        async init(deps) {
          services = deps;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePavedRoad,
      localGitPlugin,
      servicesPlugin,
      catalogServiceMock.factory({
        entities: [...(await sampleOrg()), ...options.entities],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            reading: {
              allow: [{ host: 'localhost:7007', paths: ['/api/local-git/'] }],
            },
          },
          pavedRoad: {
            publish: { target: 'local-git' },
            localGit: {
              directory: options.gitDir,
              baseUrl: 'http://localhost:7007/api/local-git',
              publicRead: true,
            },
          },
        },
      }),
    ],
  });
  const { server } = backend;
  const deps = services!;

  return {
    server,
    stop: () => backend.stop(),
    /** A renderer reading templates from `catalog`. */
    renderer(catalog: CatalogService) {
      return new TemplateRenderer({
        source: new TemplateSource({
          catalog,
          auth: deps.auth,
          reader: deps.reader,
        }),
        discovery: deps.discovery,
        auth: deps.auth,
        logger: deps.logger,
      });
    },
    auth: deps.auth,

    /** Creates a task through the API and waits until it completes. */
    async runTask(body: { templateRef: string; values: JsonObject }) {
      const created = await request(server)
        .post('/api/scaffolder/v2/tasks')
        .send(body);
      if (created.status !== 201) {
        throw new Error(
          `POST /v2/tasks: ${created.status} ${JSON.stringify(created.body)}`,
        );
      }
      const url = `/api/scaffolder/v2/tasks/${created.body.id}`;
      for (let i = 0; i < 600; i++) {
        const task = (await request(server).get(url)).body;
        if (task.status === 'completed') return created.body.id as string;
        if (['failed', 'cancelled'].includes(task.status)) {
          const events = (await request(server).get(`${url}/events`)).body;
          throw new Error(
            `task ${task.status}: ${JSON.stringify(events.slice(-3))}`,
          );
        }
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`task ${created.body.id} did not finish`);
    },
  };
}
