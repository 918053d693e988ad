import path from 'node:path';
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
  // Required only here: it loads a whole backend's worth of packages.
  const inProcess =
    require('./inProcessScaffolder') as typeof import('./inProcessScaffolder');
  return inProcess.inProcessScaffolder(options.config ?? {});
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
export async function scaffolderAt(
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
