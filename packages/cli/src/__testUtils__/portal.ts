import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import authModuleSampleUsers from '@paved-road/plugin-auth-backend-module-sample-users-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModulePavedRoad from '@paved-road/plugin-catalog-backend-module-paved-road';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModulePavedRoad from '@paved-road/plugin-scaffolder-backend-module-paved-road';
import pavedRoadPlugin from '@paved-road/plugin-paved-road-backend';
import deploymentsPlugin from '@paved-road/plugin-deployments-backend';
import costsPlugin from '@paved-road/plugin-costs-backend';
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import templatesPlugin from '@paved-road/plugin-templates-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModulePavedRoad from '@paved-road/plugin-permission-backend-module-paved-road';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yaml from 'yaml';
import { deploymentsModuleScriptedProvider } from './scriptedProvider';

/** The repository root: app-config.yaml, templates/ and examples/. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

type JsonObject = Record<string, any>;

/** A port nothing listens on (right after this returns). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * The embedded default's configuration (app-config.yaml) on a free port,
 * with its data in `dir`: an in-memory SQLite database, local git under
 * `dir/git`, sample billing in `dir/billing`; the sample organisation,
 * users, entities and templates as the portal loads them (not the seeded
 * sample repositories, which live at :7007); deployments through the
 * scripted provider.
 */
function portalConfig(
  port: number,
  dir: string,
  templatesDir: string,
): JsonObject {
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'app-config.yaml'), 'utf8'),
  );
  const baseUrl = `http://localhost:${port}`;
  const file = (relative: string) => path.join(REPO_ROOT, relative);
  return {
    ...appConfig,
    backend: {
      ...appConfig.backend,
      baseUrl,
      listen: { port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      reading: {
        allow: [{ host: `localhost:${port}`, paths: ['/api/local-git/'] }],
      },
    },
    catalog: {
      ...appConfig.catalog,
      processingInterval: { seconds: 2 },
      locations: [
        {
          type: 'file',
          target: file('templates/sample-org/org.yaml'),
          rules: [{ allow: ['User', 'Group'] }],
        },
        {
          type: 'file',
          target: file('examples/portal-users.yaml'),
          rules: [{ allow: ['User'] }],
        },
        { type: 'file', target: file('examples/entities.yaml') },
        {
          type: 'file',
          target: path.join(templatesDir, 'all.yaml'),
          rules: [{ allow: ['Location', 'Template'] }],
        },
      ],
    },
    deployments: {
      sampleData: { file: file('examples/deployments.yaml') },
      provider: 'scripted',
      // Picked up at once rather than within the default 2 s.
      runner: { pollInterval: { milliseconds: 200 } },
      settings: {
        writeMode: 'commit',
        sync: {
          frequency: { seconds: 5 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 1 },
        },
      },
    },
    costs: {
      ...appConfig.costs,
      sources: [
        {
          id: 'sample-billing',
          type: 'focus-csv',
          path: path.join(dir, 'billing'),
        },
      ],
      ingestion: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 0 },
        },
      },
    },
    pavedRoad: {
      ...appConfig.pavedRoad,
      localGit: { directory: path.join(dir, 'git'), publicRead: true },
    },
  };
}

export type Portal = Awaited<ReturnType<typeof startPortal>>;

/**
 * The portal backend with the plugins of packages/backend that the CLI
 * talks to (auth with guest and sample-user sign-in, catalog, scaffolder,
 * Paved Road, deployments, costs, local git, templates (upgrades),
 * permissions with the Paved Road policy), real services throughout, listening on a free port.
 */
export async function startPortal(
  options: {
    /** Where the templates are read from (a copy the test can change); default templates/. */
    templatesDir?: string;
  } = {},
) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-road-cli-'));
  await promisify(execFile)(process.execPath, [
    path.join(REPO_ROOT, 'examples/billing/generate-sample.mjs'),
    path.join(dir, 'billing'),
  ]);

  const backend = createBackend();
  backend.add(
    mockServices.rootConfig.factory({
      data: portalConfig(
        port,
        dir,
        options.templatesDir ?? path.join(REPO_ROOT, 'templates'),
      ),
    }),
  );
  backend.add(
    mockServices.rootLogger.factory({
      level: (process.env.PAVED_ROAD_TEST_LOG_LEVEL as 'none') ?? 'none',
    }),
  );
  backend.add(authPlugin);
  backend.add(authModuleGuestProvider);
  backend.add(authModuleSampleUsers);
  backend.add(catalogPlugin);
  backend.add(catalogModuleTemplateKind);
  backend.add(catalogModulePavedRoad);
  backend.add(catalogModuleUnprocessed);
  backend.add(scaffolderPlugin);
  backend.add(scaffolderModulePavedRoad);
  backend.add(pavedRoadPlugin);
  backend.add(deploymentsPlugin);
  backend.add(deploymentsModuleScriptedProvider);
  backend.add(costsPlugin);
  backend.add(localGitPlugin);
  backend.add(templatesPlugin);
  backend.add(permissionPlugin);
  backend.add(permissionModulePavedRoad);
  await backend.start();

  const url = `http://localhost:${port}`;
  return {
    url,
    dir,
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    /** A token of a sample user (`carol`, `admin`) straight from the auth backend. */
    async tokenOf(user: string): Promise<string> {
      const res = await fetch(`${url}/api/auth/sampleUsers/refresh`, {
        headers: { 'x-paved-road-sample-user': user },
      });
      const body = await res.json();
      return body.backstageIdentity.token;
    },
    /** Resolves once the catalog serves every entity (with its relations). */
    async untilCatalogHas(refs: string[], token: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (const ref of refs) {
        const [kind, rest] = ref.split(':');
        const [namespace, name] = rest.split('/');
        for (;;) {
          const res = await fetch(
            `${url}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          if (res.ok && (await res.json()).relations?.length) break;
          if (Date.now() > deadline)
            throw new Error(`${ref} never appeared in the catalog`);
          await new Promise(r => setTimeout(r, 250));
        }
      }
    },
  };
}
