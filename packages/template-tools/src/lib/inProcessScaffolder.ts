import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import YAML from 'yaml';
import { REPO_ROOT, Scaffolder, scaffolderAt } from './installedActions';
import { isObject, JsonObject } from './json';

const BACKEND_DIR = path.join(REPO_ROOT, 'packages/backend');

/** Loads a package as packages/backend resolves it. */
function backendRequire(name: string): unknown {
  return require(require.resolve(name, { paths: [BACKEND_DIR] }));
}

/**
 * Scaffolder plugin and modules that packages/backend/src/index.ts adds, and
 * the local git hosting: the Paved Road module refuses to start with
 * pavedRoad.publish.target local-git without it.
 */
export function scaffolderPackages(): string[] {
  const source = fs.readFileSync(
    path.join(BACKEND_DIR, 'src/index.ts'),
    'utf8',
  );
  const packages: string[] = [];
  for (const m of source.matchAll(
    /^\s*backend\.add\(\s*import\(\s*['"]([^'"]+)['"]\s*\)/gm,
  )) {
    let manifest: { backstage?: { pluginId?: string } };
    try {
      manifest = JSON.parse(
        fs.readFileSync(
          require.resolve(`${m[1]}/package.json`, { paths: [BACKEND_DIR] }),
          'utf8',
        ),
      );
    } catch {
      continue;
    }
    if (
      ['scaffolder', 'local-git'].includes(manifest.backstage?.pluginId ?? '')
    ) {
      packages.push(m[1]);
    }
  }
  return packages;
}

/**
 * This portal's organisation (the sample one of @paved-road/templates and the
 * portal's own users) and systems, so owners resolve when rendering.
 */
export function sampleEntities(): JsonObject[] {
  const entities: JsonObject[] = [];
  for (const f of [
    'templates/sample-org/org.yaml',
    'examples/portal-users.yaml',
    'examples/entities.yaml',
  ]) {
    const file = path.join(REPO_ROOT, f);
    if (!fs.existsSync(file)) continue;
    for (const d of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const e: unknown = d.toJS();
      if (isObject(e) && e.kind) {
        entities.push({
          ...e,
          metadata: { namespace: 'default', ...(e.metadata as JsonObject) },
        });
      }
    }
  }
  return entities;
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

/** The parts of app-config.yaml the scaffolder and its modules read. */
export function embeddedConfig(): JsonObject {
  const appConfig: JsonObject =
    YAML.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
    ) ?? {};
  const data: JsonObject = {};
  for (const key of ['pavedRoad', 'scaffolder', 'integrations']) {
    if (appConfig[key]) data[key] = appConfig[key];
  }
  const backend = isObject(appConfig.backend) ? appConfig.backend : {};
  data.backend = {
    baseUrl: backend.baseUrl ?? 'http://localhost:7007',
    // Checked at start with the local-git target.
    ...(backend.reading ? { reading: backend.reading } : {}),
  };
  // Dry runs of paved-road:publish look for an existing repository: resolve
  // the local git directory as the backend does (from packages/backend).
  const pavedRoad = isObject(data.pavedRoad) ? data.pavedRoad : {};
  const localGit = isObject(pavedRoad.localGit) ? pavedRoad.localGit : {};
  if (typeof localGit.directory === 'string') {
    localGit.directory = path.resolve(BACKEND_DIR, localGit.directory);
  }
  return data;
}

/**
 * A scaffolder composed like packages/backend/src/index.ts (with test
 * doubles for the database, and the sample organisation as the catalog),
 * serving on a free port; `config` is merged over app-config.yaml's.
 */
export async function inProcessScaffolder(
  config: JsonObject,
): Promise<Scaffolder> {
  const packages = scaffolderPackages();
  if (!packages.includes('@backstage/plugin-scaffolder-backend')) {
    throw new Error(
      'packages/backend/src/index.ts does not add @backstage/plugin-scaffolder-backend',
    );
  }
  type Feature = NonNullable<
    Parameters<typeof startTestBackend>[0]['features']
  >[number];
  // A package's module: { default: feature }, as `import()` gives it.
  type FeatureModule = Awaited<Extract<Feature, Promise<unknown>>>;
  type ConfigData = NonNullable<
    Parameters<typeof mockServices.rootConfig.factory>[0]
  >['data'];
  const backend = await startTestBackend({
    features: [
      ...packages.map(name =>
        Promise.resolve(backendRequire(name) as FeatureModule),
      ),
      catalogServiceMock.factory({
        entities: sampleEntities() as unknown as Entity[],
      }),
      mockServices.rootConfig.factory({
        data: mergeConfig(embeddedConfig(), config) as ConfigData,
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  try {
    return await scaffolderAt(
      `http://127.0.0.1:${port}`,
      `the scaffolder of packages/backend (${packages.join(', ')})`,
      'mock-user-token',
      () => backend.stop(),
    );
  } catch (e) {
    await backend.stop();
    throw e;
  }
}
