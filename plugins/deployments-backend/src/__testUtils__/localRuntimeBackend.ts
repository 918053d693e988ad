import {
  createServiceFactory,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
// The deploy flow as on the embedded default: the engine clones the service
// over HTTP from the local git hosting, so a test backend serves it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import deploymentsModuleLocal from '@paved-road/plugin-deployments-backend-module-local';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { deploymentsPlugin } from '../plugin';
import { gitSync } from './localGitProject';

/*
 * The deployments engine with the local runtime, as the embedded default
 * runs it (deployments.provider: local, Maven builds, JVM instances behind
 * a stable URL), on the sample services examples/seed-repositories.mjs
 * writes. For the slow deploy flow test and bench/deploy.ts: nothing here
 * needs jest.
 */

export const ROOT = path.resolve(
  resolvePackagePath('@paved-road/plugin-deployments-backend'),
  '../..',
);
const SEEDER = path.join(ROOT, 'examples/seed-repositories.mjs');
const ORG_FILES = [
  'templates/sample-org/org.yaml',
  'examples/portal-users.yaml',
];

export type TestBackend = Awaited<ReturnType<typeof startTestBackend>>;

/** The base URL a test backend's HTTP server serves the local git hosting at. */
export function localGitBaseUrl(backend: TestBackend) {
  return `http://localhost:${backend.server.port()}/api/local-git`;
}

/**
 * The local git hosting alone, serving `directory` on a free port, with
 * the sample services seeded into it under its own URL.
 */
export async function startSampleGitHosting(directory: string) {
  fs.mkdirSync(directory, { recursive: true });
  const backend = await startTestBackend({
    features: [
      localGitPlugin,
      mockServices.rootConfig.factory({
        data: { pavedRoad: { localGit: { directory, publicRead: true } } },
      }),
    ],
  });
  const baseUrl = localGitBaseUrl(backend);
  await promisify(execFile)(process.execPath, [SEEDER, directory, baseUrl]);
  return { backend, baseUrl, directory };
}

/** The catalog's view of the sample services and the organisation. */
export function sampleEntities(directory: string, baseUrl: string): Entity[] {
  const components = fs
    .readdirSync(directory)
    .filter(file => file.endsWith('.git'))
    .map(file => {
      const name = file.slice(0, -'.git'.length);
      const catalogInfo = gitSync([
        '--git-dir',
        path.join(directory, file),
        'show',
        'main:catalog-info.yaml',
      ]);
      const component = parseAllDocuments(catalogInfo)
        .map(d => d.toJS() as Entity)
        .find(e => e.kind === 'Component' && e.metadata.name === name)!;
      return {
        ...component,
        metadata: {
          ...component.metadata,
          namespace: 'default',
          annotations: {
            ...component.metadata.annotations,
            'backstage.io/managed-by-location': `url:${baseUrl}/${name}/raw/main/catalog-info.yaml`,
          },
        },
      };
    });
  const org = ORG_FILES.flatMap(file =>
    parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8')).map(
      d => d.toJS() as Entity,
    ),
  ).map(e => ({ ...e, metadata: { ...e.metadata, namespace: 'default' } }));
  return [...components, ...org];
}

/**
 * The deployments plugin with the local runtime module, configured as
 * app-config.yaml configures the embedded default (a 5 s bake; with
 * `sampleHistory`, its sample history too) except for its directories and
 * the stable URLs' port range (away from a running portal's). Audit events
 * and notifications are collected.
 */
export async function startLocalRuntimeBackend(options: {
  gitDirectory: string;
  gitBaseUrl: string;
  workDirectory: string;
  ports: { from: number; to: number };
  bakeSeconds?: number;
  sampleHistory?: boolean;
}) {
  const { gitDirectory, gitBaseUrl, workDirectory, ports } = options;
  const audit: AuditEventInput[] = [];
  const notifications: unknown[] = [];
  const backend = await startTestBackend({
    features: [
      deploymentsPlugin,
      deploymentsModuleLocal,
      mockServices.rootConfig.factory({
        data: {
          pavedRoad: {
            localGit: { directory: gitDirectory, baseUrl: gitBaseUrl },
          },
          deployments: {
            ...(options.sampleHistory && {
              sampleData: {
                file: path.join(ROOT, 'examples/deployments.yaml'),
              },
            }),
            provider: 'local',
            local: {
              workDirectory,
              bakeSeconds: options.bakeSeconds ?? 5,
              ports,
            },
          },
        },
      }),
      catalogServiceMock.factory({
        entities: sampleEntities(gitDirectory, gitBaseUrl),
      }),
      createServiceFactory({
        service: pavedRoadAuditServiceRef,
        deps: {},
        factory: () => ({
          record: async (event: AuditEventInput) => {
            audit.push(event);
          },
        }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: unknown) => {
            notifications.push(notification);
          },
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish: async () => {} }),
      }),
    ],
  });
  return { backend, audit, notifications };
}

/**
 * Commits `content` to `file` on main of a bare repository, as someone
 * pushing to it; returns the new head.
 */
export function pushChange(
  gitDir: string,
  file: string,
  edit: (content: string) => string,
  message: string,
) {
  const clone = fs.mkdtempSync(`${gitDir}-clone-`);
  try {
    gitSync(['clone', '--quiet', gitDir, clone]);
    const target = path.join(clone, file);
    fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
    gitSync(
      [
        '-c',
        'user.name=Bob Brown',
        '-c',
        'user.email=bob@example.com',
        'commit',
        '--quiet',
        '--all',
        '-m',
        message,
      ],
      clone,
    );
    gitSync(['push', '--quiet', 'origin', 'HEAD:main'], clone);
  } finally {
    fs.rmSync(clone, { recursive: true, force: true });
  }
  return gitSync(['--git-dir', gitDir, 'rev-parse', 'main']).trim();
}
