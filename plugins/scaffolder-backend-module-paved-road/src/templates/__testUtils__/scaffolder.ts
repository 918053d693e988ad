import fs from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// A test backend composed as packages/backend is: the module checks at
// start that the local git hosting is installed beside it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import request from 'supertest';
import yaml from 'yaml';
import { sampleOrg } from '../../__fixtures__/sampleOrg';
import { scaffolderModulePavedRoad } from '../../module';
import { withLocalGitLocations } from './tasks';

// Config and values are plain JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;

/** The repository root, where templates/ and app-config.yaml live. */
export const REPO_ROOT = resolve(__dirname, '../../../../..');

export type TemplateEntity = Entity & {
  spec: {
    parameters: JsonObject[];
    steps: Array<{ id: string; action: string; input?: JsonObject }>;
    output?: JsonObject;
  };
};

export type LoadedTemplate = {
  /** template.yaml on disk. */
  file: string;
  entity: TemplateEntity;
  /** Every file beside template.yaml, as the dry-run API takes them. */
  directoryContents: Array<{ path: string; base64Content: string }>;
};

/** Reads a template directory the way the dry-run API wants it. */
export async function loadTemplate(dir: string): Promise<LoadedTemplate> {
  const file = join(dir, 'template.yaml');
  const entity = yaml.parse(await fs.readFile(file, 'utf8')) as TemplateEntity;
  const directoryContents = [];
  for (const path of await listFiles(dir)) {
    if (path === 'template.yaml') continue;
    const content = await fs.readFile(join(dir, path));
    directoryContents.push({
      path,
      base64Content: content.toString('base64'),
    });
  }
  return { file, entity, directoryContents };
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...(await listFiles(root, full)));
    } else if (entry.isFile()) {
      out.push(relative(root, full).split(sep).join('/'));
    }
  }
  return out.sort();
}

/** Systems of examples/entities.yaml, for the optional system field. */
const systems: Entity[] = ['payments-platform', 'logistics-platform'].map(
  name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name, namespace: 'default' },
    spec: { owner: 'group:default/payments' },
  }),
);

/**
 * The scaffolder configuration of the embedded default, read from the
 * repository's app-config.yaml, so the tests render with what `start` uses.
 */
export async function embeddedConfig(): Promise<JsonObject> {
  const appConfig = yaml.parse(
    await fs.readFile(join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
  return {
    backend: {
      baseUrl: appConfig.backend?.baseUrl ?? 'http://localhost:7007',
      // The module checks at start that the catalog may read local git.
      reading: appConfig.backend?.reading,
    },
    ...(appConfig.pavedRoad ? { pavedRoad: appConfig.pavedRoad } : {}),
    ...(appConfig.scaffolder ? { scaffolder: appConfig.scaffolder } : {}),
  };
}

/** Deep merge of plain config objects; `b` wins. */
export function mergeConfig(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const prev = out[key];
    out[key] =
      isObject(prev) && isObject(value) ? mergeConfig(prev, value) : value;
  }
  return out;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type Scaffolder = Awaited<ReturnType<typeof startScaffolder>>;

/**
 * The real scaffolder backend with the Paved Road module and the local git
 * hosting, a catalog holding the sample organisation (and `entities`) and
 * the given config (default: the embedded default's).
 */
export async function startScaffolder(
  options: {
    config?: JsonObject;
    entities?: Entity[];
    features?: BackendFeature[];
    /**
     * Local git directory of paved-road:publish; when given, the catalog
     * registers locations by reading catalog-info.yaml from its repositories,
     * as the real catalog does through the local-git URL reader.
     */
    gitDir?: string;
  } = {},
) {
  const inMemory = catalogServiceMock({
    entities: [...sampleOrg, ...systems, ...(options.entities ?? [])],
  });
  // One catalog for every plugin: what the scaffolder registers, the
  // others (deployments) read.
  const catalog = options.gitDir
    ? withLocalGitLocations(inMemory, options.gitDir)
    : inMemory;
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePavedRoad,
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => catalog,
      }),
      localGitPlugin,
      mockServices.rootConfig.factory({
        data: options.config ?? (await embeddedConfig()),
      }),
      ...(options.features ?? []),
    ],
  });
  const { server } = backend;

  return {
    server,
    stop: () => backend.stop(),

    async dryRun(
      template: LoadedTemplate,
      values: JsonObject,
      secrets: Record<string, string> = {},
    ) {
      const res = await request(server)
        .post('/api/scaffolder/v2/dry-run')
        .send({
          template: template.entity,
          values,
          secrets,
          directoryContents: template.directoryContents,
        });
      const files = new Map<string, Buffer>();
      for (const f of res.body?.directoryContents ?? []) {
        files.set(f.path, Buffer.from(f.base64Content, 'base64'));
      }
      return { status: res.status, body: res.body, files };
    },

    async actionIds(): Promise<string[]> {
      const res = await request(server).get('/api/scaffolder/v2/actions');
      return (res.body as Array<{ id: string }>).map(a => a.id);
    },
  };
}

/** Text of a rendered file; fails the test when it is missing. */
export function text(files: Map<string, Buffer>, path: string): string {
  const content = files.get(path);
  if (!content) {
    throw new Error(
      `${path} was not rendered; got ${[...files.keys()].join(', ')}`,
    );
  }
  return content.toString('utf8');
}
