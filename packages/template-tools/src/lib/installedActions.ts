import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import YAML from 'yaml';
import { isObject, JsonObject } from './json';

/**
 * The repository root, where packages/backend, templates/ and
 * app-config.yaml live: this tool runs from the checkout it is part of.
 */
export const REPO_ROOT = path.resolve(
  require.resolve('@paved-road/template-tools/package.json'),
  '../../..',
);

/** An installed action's JSON schemas. */
export type InstalledAction = { input?: JsonObject; output?: JsonObject };

/** Answer of POST /api/scaffolder/v2/dry-run. */
export type DryRunResponse = { status: number; body: JsonObject };

/**
 * The scaffolder templates are checked against and rendered with: its
 * actions, templating filters and globals, and its dry run.
 */
export type Scaffolder = {
  /** Where the actions come from, for the report. */
  source: string;
  /** Base URL of its backend (`http://host:port`). */
  baseUrl: string;
  actions: Map<string, InstalledAction>;
  filters: Set<string>;
  globals: Set<string>;
  /** False when the backend does not list its templating extensions. */
  knowsFilters: boolean;
  dryRun(body: JsonObject): Promise<DryRunResponse>;
  close(): Promise<void>;
};

export type OpenScaffolderOptions = {
  /** A running backend; without it an in-process one is started. */
  backend?: string;
  /** Backstage token for `backend` (default BACKSTAGE_TOKEN). */
  token?: string;
  /** In process: config merged over app-config.yaml's (the tests' git directory, production publishing). */
  config?: JsonObject;
};

/**
 * A running backend (`backend`), or an in-process scaffolder composed like
 * packages/backend/src/index.ts. Call close() when done.
 */
export async function openScaffolder(
  options: OpenScaffolderOptions = {},
): Promise<Scaffolder> {
  if (options.backend) {
    return remoteScaffolder(options.backend.replace(/\/+$/, ''), options.token);
  }
  return inProcessScaffolder(options.config ?? {});
}

async function guestToken(baseUrl: string): Promise<string | undefined> {
  try {
    const res = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=development`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    if (!res.ok) return undefined;
    const body = (await res.json()) as {
      backstageIdentity?: { token?: string };
    };
    return body?.backstageIdentity?.token;
  } catch {
    return undefined;
  }
}

/** The scaffolder API of the backend at `baseUrl`, seen as `source`. */
async function scaffolderAt(
  baseUrl: string,
  source: string | undefined,
  token: string | undefined,
  close: () => Promise<void>,
): Promise<Scaffolder> {
  let auth = token;
  const call = (p: string, init: { method?: string; body?: string } = {}) =>
    fetch(`${baseUrl}/api/scaffolder/v2${p}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      },
    });
  let res = await call('/actions');
  if (res.status === 401 && !auth) {
    // The embedded default signs in as guest; production needs --token.
    auth = await guestToken(baseUrl);
    if (auth) res = await call('/actions');
  }
  if (!res.ok) {
    throw new Error(
      `GET ${baseUrl}/api/scaffolder/v2/actions answered ${res.status}${
        res.status === 401 ? ' (pass --token or BACKSTAGE_TOKEN)' : ''
      }`,
    );
  }
  const list: unknown = await res.json();
  const ext = await call('/templating-extensions');
  const extensions = ext.ok ? ((await ext.json()) as JsonObject) : undefined;
  const from = source ?? `${baseUrl}/api/scaffolder/v2/actions`;
  if (!Array.isArray(list)) {
    throw new Error(`${from}: expected a list of actions`);
  }
  const actions = new Map<string, InstalledAction>();
  for (const a of list as Array<{ id: string; schema?: InstalledAction }>) {
    actions.set(a.id, { input: a.schema?.input, output: a.schema?.output });
  }
  const keys = (v: unknown) => Object.keys(isObject(v) ? v : {});
  const globals = isObject(extensions?.globals) ? extensions.globals : {};
  return {
    source: from,
    baseUrl,
    actions,
    filters: new Set(keys(extensions?.filters)),
    globals: new Set([...keys(globals.functions), ...keys(globals.values)]),
    knowsFilters: isObject(extensions?.filters),
    async dryRun(body) {
      const r = await call('/dry-run', {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return {
        status: r.status,
        body: ((await r.json().catch(() => ({}))) as JsonObject) ?? {},
      };
    },
    close,
  };
}

async function remoteScaffolder(baseUrl: string, token?: string) {
  return scaffolderAt(
    baseUrl,
    undefined,
    token ?? process.env.BACKSTAGE_TOKEN,
    async () => {},
  );
}

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

async function inProcessScaffolder(config: JsonObject): Promise<Scaffolder> {
  const packages = scaffolderPackages();
  if (!packages.includes('@backstage/plugin-scaffolder-backend')) {
    throw new Error(
      'packages/backend/src/index.ts does not add @backstage/plugin-scaffolder-backend',
    );
  }
  // Loaded here, not imported: only the in-process scaffolder needs them.
  const { startTestBackend, mockServices } =
    require('@backstage/backend-test-utils') as typeof import('@backstage/backend-test-utils');
  const { catalogServiceMock } =
    require('@backstage/plugin-catalog-node/testUtils') as typeof import('@backstage/plugin-catalog-node/testUtils');
  type Feature = NonNullable<
    Parameters<typeof startTestBackend>[0]['features']
  >[number];
  const backend = await startTestBackend({
    features: [
      ...packages.map(name =>
        Promise.resolve(backendRequire(name) as { default: Feature }),
      ),
      catalogServiceMock.factory({
        entities: sampleEntities() as unknown as Entity[],
      }),
      mockServices.rootConfig.factory({
        data: mergeConfig(embeddedConfig(), config),
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
