import { createServiceFactory } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import type {
  AuditEventInput,
  DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { gitSync } from '../__testUtils__/localGitProject';
import { deploymentsPlugin } from '../plugin';
import { editCatalogInfo, parseDescriptor } from '../repository/settingsFile';

/*
 * examples/seed-repositories.mjs turns the sample services into projects on
 * the embedded default. These tests run the script as scripts/start does and
 * read the result the way the local git hosting, the catalog and this plugin
 * read it.
 */

jest.setTimeout(120_000);

const ROOT = path.resolve(
  resolvePackagePath('@paved-road/plugin-deployments-backend'),
  '../..',
);
const SCRIPT = path.join(ROOT, 'examples/seed-repositories.mjs');
const SOURCES = path.join(ROOT, 'examples/sample-repositories');
const BASE_URL = 'http://localhost:7007/api/local-git';
const DESCRIPTOR = 'deploy/paved-road.yaml';
const DAY_MS = 24 * 60 * 60 * 1000;

type HistoryCommit = {
  author: string;
  daysAgo: number;
  message: string;
  settings?: DeploymentSettings;
  template?: string;
};

const readText = (file: string) =>
  fs.readFileSync(path.join(ROOT, file), 'utf8');
const readDocs = (file: string) =>
  parseAllDocuments(readText(file)).map(d => d.toJS() as Entity);

const HISTORY: Record<string, HistoryCommit[]> = parse(
  readText('examples/sample-repositories/history.yaml'),
).repositories;
const NAMES = Object.keys(HISTORY).sort();
const ORG = [
  ...readDocs('templates/sample-org/org.yaml'),
  ...readDocs('examples/portal-users.yaml'),
];

const sourceFile = (name: string, file: string) =>
  fs.readFileSync(path.join(SOURCES, name, file), 'utf8');
const componentOf = (name: string) =>
  parseAllDocuments(sourceFile(name, 'catalog-info.yaml'))
    .map(d => d.toJS() as Entity)
    .find(e => e.kind === 'Component')!;
const initialSettings = (name: string) => {
  const parsed = parseDescriptor(sourceFile(name, DESCRIPTOR));
  if ('error' in parsed) {
    throw new Error(`${name}/${DESCRIPTOR}: ${parsed.error}`);
  }
  return parsed.settings;
};
const userOf = (ref: string) =>
  ORG.find(e => e.kind === 'User' && `user:default/${e.metadata.name}` === ref);

/** The settings each commit of the history leaves in the descriptor. */
const settingsAfter = (name: string) => {
  let current = initialSettings(name);
  return HISTORY[name].map(commit => {
    current = commit.settings ?? current;
    return current;
  });
};
/** Indexes of the commits that change the settings, the first included. */
const settingsCommitIndexes = (name: string) =>
  HISTORY[name].flatMap((commit, i) => (commit.template ? [] : [i]));
// What the service keeps when the template is rendered over it.
const KEPT = ['README.md', 'catalog-info.yaml', DESCRIPTOR];

/**
 * What fetch:template renders from templates/kotlin-spring-service for the
 * service, with the values the template's step would pass had the service
 * been created from it: written out here, not derived like the script does.
 */
async function renderTemplate(name: string, target: string) {
  const values: Record<string, Record<string, string>> = {
    'orders-service': {
      description: 'Takes and tracks customer orders.',
      owner: 'group:default/checkout',
      ownerName: 'checkout',
      system: 'system:default/payments-platform',
      costCenter: 'CC-1001',
      businessUnit: 'group:default/payments',
    },
    'payment-gateway': {
      description: 'Authorises and captures card payments.',
      owner: 'group:default/payments-core',
      ownerName: 'payments-core',
      system: 'system:default/payments-platform',
      costCenter: 'CC-1002',
      businessUnit: 'group:default/payments',
    },
    'fleet-tracker': {
      description: 'Live positions of the delivery fleet.',
      owner: 'group:default/fleet',
      ownerName: 'fleet',
      system: 'system:default/logistics-platform',
      costCenter: 'CC-2001',
      businessUnit: 'group:default/logistics',
    },
    'inventory-service': {
      description: 'Stock levels across warehouses.',
      owner: 'group:default/warehouse',
      ownerName: 'warehouse',
      system: 'system:default/logistics-platform',
      costCenter: 'CC-2002',
      businessUnit: 'group:default/logistics',
    },
  };
  const basePackage = `com.example.${name.replace(/-/g, '')}`;
  const action = createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const context = createMockActionContext({
    workspacePath: target,
    templateInfo: {
      entityRef: 'template:default/kotlin-spring-service',
      baseUrl: `file://${path.join(
        ROOT,
        'templates/kotlin-spring-service/template.yaml',
      )}`,
    },
    input: {
      url: './skeleton',
      values: {
        name,
        ...values[name],
        groupId: 'com.example',
        basePackage,
        basePackagePath: basePackage.replace(/\./g, '/'),
        javaVersion: '17',
        repoUrl: `${BASE_URL}/${name}.git`,
        repoSlug: name,
        templateRef: 'template:default/kotlin-spring-service',
        deployment: settingsAfter(name).at(-1),
      },
    },
  });
  // Where the skeleton is fetched to: the mock's default is the workspace.
  context.createTemporaryDirectory = async () =>
    fs.mkdtempSync(`${target}-skeleton-`);
  await action.handler(context);
}

/** Files under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function seed(directory: string, ...args: string[]) {
  const { stdout } = await promisify(execFile)(process.execPath, [
    SCRIPT,
    directory,
    ...args,
  ]);
  return stdout;
}

/** Lines of `a` that `b` lacks, counting repeated lines, in `a`'s order. */
function linesOnlyIn(a: string, b: string): string[] {
  const left = new Map<string, number>();
  for (const line of b.split('\n')) {
    left.set(line, (left.get(line) ?? 0) + 1);
  }
  return a.split('\n').filter(line => {
    const count = left.get(line) ?? 0;
    left.set(line, count - 1);
    return count <= 0;
  });
}

/** Every file under `dir` with its content: what a run may have changed. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, {
    recursive: true,
    withFileTypes: true,
  })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = fs
        .readFileSync(file)
        .toString('base64');
    }
  }
  return files;
}

/** The commits of main, oldest first. */
function commitsOf(gitDir: string) {
  return gitSync([
    '--git-dir',
    gitDir,
    'log',
    '--reverse',
    '--format=%H%x00%an%x00%ae%x00%at%x00%ct%x00%B%x01',
    'main',
  ])
    .split('\x01')
    .map(c => c.trim())
    .filter(Boolean)
    .map(c => {
      const [sha, name, email, authored, committed, message] = c.split('\0');
      return {
        sha,
        name,
        email,
        authored: Number(authored) * 1000,
        committed: Number(committed) * 1000,
        message: message.trim(),
      };
    });
}

describe('examples/seed-repositories.mjs', () => {
  const mockDir = createMockDirectory();
  let gitRoot: string;

  beforeEach(() => {
    mockDir.clear();
    gitRoot = mockDir.resolve('git');
  });

  it('covers the four sample services', () => {
    expect(NAMES).toEqual([
      'fleet-tracker',
      'inventory-service',
      'orders-service',
      'payment-gateway',
    ]);
  });

  it('writes each one in the layout of the local git hosting', async () => {
    const out = await seed(gitRoot, BASE_URL);
    expect(out.trim().split('\n')).toEqual(
      Object.keys(HISTORY).map(
        n =>
          `created ${gitRoot}/${n}.git (${HISTORY[n].length} ${
            HISTORY[n].length === 1 ? 'commit' : 'commits'
          })`,
      ),
    );

    const repositories = new LocalGitRepositories({
      directory: gitRoot,
      baseUrl: BASE_URL,
    });
    const listed = await repositories.listRepositories();
    expect(listed.map(r => r.name)).toEqual(NAMES);
    // Nothing else: no temporary directories left behind.
    expect(fs.readdirSync(gitRoot).sort()).toEqual(NAMES.map(n => `${n}.git`));

    for (const repo of listed) {
      const gitDir = repositories.repositoryPath(repo.name);
      expect(repo.defaultBranch).toBe('main');
      expect(repo.cloneUrl).toBe(`${BASE_URL}/${repo.name}.git`);
      // Created "weeks ago": the first commit's date.
      const age = Date.now() - Date.parse(repo.createdAt);
      expect(
        Math.abs(age - HISTORY[repo.name][0].daysAgo * DAY_MS),
      ).toBeLessThan(5 * 60_000);
      // Read-only over HTTP and described, like a published project.
      expect(
        gitSync(['--git-dir', gitDir, 'config', 'http.receivepack']).trim(),
      ).toBe('false');
      expect(fs.readFileSync(path.join(gitDir, 'description'), 'utf8')).toBe(
        `${componentOf(repo.name).metadata.description}\n`,
      );
      expect(() =>
        gitSync(['--git-dir', gitDir, 'fsck', '--strict', '--no-dangling']),
      ).not.toThrow();

      // Served raw as the catalog reads it: the files of examples/, as written.
      for (const file of ['catalog-info.yaml', 'README.md']) {
        const served = await repositories.readFile(repo.name, 'main', file);
        expect(served.toString('utf8')).toBe(sourceFile(repo.name, file));
      }
      const ls = gitSync([
        '--git-dir',
        gitDir,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
      ]);
      // The service's own files and the Maven project of the template.
      expect(ls.trim().split('\n')).toEqual(
        expect.arrayContaining([...KEPT, 'pom.xml', '.gitignore']),
      );

      // Deactivating from the portal edits the file in place: the lifecycle
      // and its annotations change, no other line does.
      const catalogInfo = sourceFile(repo.name, 'catalog-info.yaml');
      const deactivated = editCatalogInfo(
        catalogInfo,
        { kind: 'Component', name: repo.name },
        { by: 'user:default/admin', at: '2026-12-01T00:00:00.000Z' },
      );
      expect(linesOnlyIn(catalogInfo, deactivated)).toEqual([
        expect.stringMatching(/^ {2}lifecycle: (production|experimental)$/),
      ]);
      expect(linesOnlyIn(deactivated, catalogInfo)).toEqual([
        expect.stringMatching(
          /^ {4}paved-road\.io\/lifecycle-before-deactivation: /,
        ),
        expect.stringMatching(/^ {4}paved-road\.io\/deactivated-by: /),
        expect.stringMatching(/^ {4}paved-road\.io\/deactivated-at: /),
        '  lifecycle: deprecated',
      ]);
    }
  });

  it('writes the history of history.yaml, by members of the owning team', async () => {
    const seededAt = Date.now();
    await seed(gitRoot, BASE_URL);
    const skeletonHeader = readText(
      'templates/kotlin-spring-service/skeleton/deploy/paved-road.yaml',
    ).match(/^(#.*\n)+/)![0];

    for (const name of NAMES) {
      const gitDir = path.join(gitRoot, `${name}.git`);
      const commits = commitsOf(gitDir);
      const history = HISTORY[name];
      const owner = componentOf(name).spec!.owner as string;
      expect(commits).toHaveLength(history.length);

      commits.forEach((commit, i) => {
        const planned = history[i];
        const user = userOf(planned.author)!;
        const profile = user.spec!.profile as {
          displayName: string;
          email: string;
        };
        expect(user.spec!.memberOf).toContain(owner);
        expect(commit.name).toBe(profile.displayName);
        expect(commit.email).toBe(profile.email);
        expect(commit.message).toBe(planned.message);
        expect(commit.committed).toBe(commit.authored);
        expect(
          Math.abs(seededAt - planned.daysAgo * DAY_MS - commit.authored),
        ).toBeLessThan(5 * 60_000);

        const descriptor = gitSync([
          '--git-dir',
          gitDir,
          'show',
          `${commit.sha}:${DESCRIPTOR}`,
        ]);
        // The template's comments stay in every version.
        expect(descriptor.startsWith(skeletonHeader)).toBe(true);
        expect(parseDescriptor(descriptor)).toEqual({
          settings: settingsAfter(name)[i],
        });
      });

      // The first commit holds the files of examples/ as written; each
      // settings commit changes the descriptor and nothing else; the last
      // one adds the Maven project and changes none of the service's files.
      expect(
        gitSync([
          '--git-dir',
          gitDir,
          'show',
          `${commits[0].sha}:${DESCRIPTOR}`,
        ]),
      ).toBe(sourceFile(name, DESCRIPTOR));
      const changed = commits
        .slice(1)
        .map(c =>
          gitSync([
            '--git-dir',
            gitDir,
            'diff-tree',
            '--no-commit-id',
            '--name-status',
            '-r',
            c.sha,
          ])
            .trim()
            .split('\n'),
        );
      expect(history.at(-1)!.template).toBe('kotlin-spring-service');
      // A settings commit modifies the descriptor; the template's only adds.
      expect(
        changed.map(lines => lines.filter(line => !line.startsWith('A\t'))),
      ).toEqual(
        history.slice(1).map(c => (c.settings ? [`M\t${DESCRIPTOR}`] : [])),
      );
      expect(changed.map(lines => lines.includes('A\tpom.xml'))).toEqual(
        history.slice(1).map(c => Boolean(c.template)),
      );
    }
  });

  it('ends each history with the Maven project the Kotlin service template renders for the service', async () => {
    await seed(gitRoot, BASE_URL);

    for (const name of NAMES) {
      const gitDir = path.join(gitRoot, `${name}.git`);
      const rendered = mockDir.resolve(`rendered-${name}`);
      await renderTemplate(name, rendered);
      const renderedFiles = filesUnder(rendered);
      expect(renderedFiles).toEqual(
        expect.arrayContaining([
          'pom.xml',
          `src/main/kotlin/com/example/${name.replace(
            /-/g,
            '',
          )}/Application.kt`,
        ]),
      );

      const head = gitSync([
        '--git-dir',
        gitDir,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
      ])
        .trim()
        .split('\n')
        .sort();
      expect(head).toEqual([...new Set([...renderedFiles, ...KEPT])].sort());
      for (const file of renderedFiles) {
        const seeded = gitSync(['--git-dir', gitDir, 'show', `main:${file}`]);
        // The service's own catalog entity, README and settings stay.
        expect(seeded).toBe(
          KEPT.includes(file)
            ? gitSync(['--git-dir', gitDir, 'show', `main~1:${file}`])
            : fs.readFileSync(path.join(rendered, file), 'utf8'),
        );
      }
    }
  });

  it('is idempotent: a second run keeps every repository and what was committed to it', async () => {
    await seed(gitRoot, BASE_URL);
    // A change made from the portal since.
    const orders = path.join(gitRoot, 'orders-service.git');
    const tree = gitSync(['--git-dir', orders, 'rev-parse', 'main^{tree}']);
    const portalCommit = gitSync([
      '-c',
      'user.name=Bob Brown',
      '-c',
      'user.email=bob@example.com',
      '--git-dir',
      orders,
      'commit-tree',
      tree.trim(),
      '-p',
      'main',
      '-m',
      'More memory',
    ]).trim();
    gitSync([
      '--git-dir',
      orders,
      'update-ref',
      'refs/heads/main',
      portalCommit,
    ]);
    const before = snapshot(gitRoot);

    const out = await seed(gitRoot, BASE_URL);

    expect(out.trim().split('\n')).toEqual(
      Object.keys(HISTORY).map(n => `kept ${gitRoot}/${n}.git`),
    );
    expect(snapshot(gitRoot)).toEqual(before);

    // Only what is missing is written again.
    fs.rmSync(path.join(gitRoot, 'fleet-tracker.git'), { recursive: true });
    const again = await seed(gitRoot, BASE_URL);
    expect(again).toContain(`created ${gitRoot}/fleet-tracker.git`);
    expect(again).toContain(`kept ${gitRoot}/orders-service.git`);
    expect(gitSync(['--git-dir', orders, 'rev-parse', 'main']).trim()).toBe(
      portalCommit,
    );
  });

  it('points every entity at the repository under the given base URL', async () => {
    await seed(gitRoot, 'https://git.example.com/paved/');

    const gitDir = path.join(gitRoot, 'orders-service.git');
    const catalogInfo = gitSync([
      '--git-dir',
      gitDir,
      'show',
      'main:catalog-info.yaml',
    ]);
    const entities = parseAllDocuments(catalogInfo).map(
      d => d.toJS() as Entity,
    );
    expect(entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'Component:orders-service',
      'API:orders-api',
    ]);
    for (const entity of entities) {
      expect(entity.metadata.annotations!['backstage.io/source-location']).toBe(
        'url:https://git.example.com/paved/orders-service.git',
      );
    }
    // Only that value changed.
    expect(catalogInfo).toBe(
      sourceFile('orders-service', 'catalog-info.yaml').replaceAll(
        `url:${BASE_URL}/`,
        'url:https://git.example.com/paved/',
      ),
    );
  });

  it('refuses a base URL that is not http(s) and writes nothing', async () => {
    await expect(seed(gitRoot, 'ftp://example.com')).rejects.toMatchObject({
      stderr: expect.stringContaining('baseUrl must be an http(s) URL'),
    });
    expect(fs.existsSync(gitRoot)).toBe(false);
  });

  it('is registered through examples/sample-projects.yaml and defined nowhere else', () => {
    const [location] = readDocs('examples/sample-projects.yaml');
    expect(location.kind).toBe('Location');
    expect(location.spec).toEqual({
      type: 'url',
      targets: Object.keys(HISTORY).map(
        n => `${BASE_URL}/${n}/raw/main/catalog-info.yaml`,
      ),
    });
    expect(readText('app-config.yaml')).toContain(
      'target: ../../examples/sample-projects.yaml',
    );

    const seeded = NAMES.flatMap(n =>
      parseAllDocuments(sourceFile(n, 'catalog-info.yaml')).map(
        d => (d.toJS() as Entity).metadata.name,
      ),
    );
    const elsewhere = readDocs('examples/entities.yaml').map(
      e => e.metadata.name,
    );
    expect(elsewhere.filter(n => seeded.includes(n))).toEqual([]);

    // Their settings come from the repositories only; their deployment
    // history stays sample data.
    const { services } = parse(readText('examples/deployments.yaml'));
    for (const name of NAMES) {
      const service = services.find(
        (s: any) => s.entityRef === `component:default/${name}`,
      );
      expect(service.deployments.length).toBeGreaterThan(0);
      expect(service.settingsVersions).toBeUndefined();
    }
  });

  it('gives the deployments backend settings with their commits, and takes an owner’s change', async () => {
    await seed(gitRoot, BASE_URL);
    const entities: Entity[] = [
      ...NAMES.map(name => {
        const component = componentOf(name);
        return {
          ...component,
          metadata: {
            ...component.metadata,
            namespace: 'default',
            annotations: {
              ...component.metadata.annotations,
              'backstage.io/managed-by-location': `url:${BASE_URL}/${name}/raw/main/catalog-info.yaml`,
            },
          },
        };
      }),
      ...ORG.map(e => ({
        ...e,
        metadata: { ...e.metadata, namespace: 'default' },
      })),
    ];
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        mockServices.rootConfig.factory({
          data: {
            pavedRoad: { localGit: { directory: gitRoot, baseUrl: BASE_URL } },
            deployments: {
              sampleData: {
                file: path.join(ROOT, 'examples/deployments.yaml'),
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        // No scheduled sync: reading the settings syncs the entity first.
        mockServices.scheduler.mock({ scheduleTask: async () => {} }).factory,
        createServiceFactory({
          service: pavedRoadAuditServiceRef,
          deps: {},
          factory: () => ({ record: async (_: AuditEventInput) => {} }),
        }),
      ],
    });

    for (const name of NAMES) {
      const route = `/api/deployments/entities/default/component/${name}`;
      const history = HISTORY[name];
      const commits = commitsOf(path.join(gitRoot, `${name}.git`));
      // Versions are the commits that change the settings: the template's
      // commit is not one.
      const indexes = settingsCommitIndexes(name);
      const last = indexes[indexes.length - 1];

      const res = await request(server).get(`${route}/settings`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: `component:default/${name}`,
        version: indexes.length,
        settings: settingsAfter(name)[last],
        createdBy: history[last].author,
        createdAt: new Date(commits[last].authored).toISOString(),
        source: indexes.length === 1 ? 'template' : 'repository',
        commitSha: commits[last].sha,
        message: history[last].message,
      });
      // The first sync kept every settings commit of the history, oldest first
      const versions = await request(server).get(`${route}/settings/versions`);
      expect([...versions.body.items].reverse()).toEqual(
        indexes.map((i, v) =>
          expect.objectContaining({
            version: v + 1,
            settings: settingsAfter(name)[i],
            createdBy: history[i].author,
            createdAt: new Date(commits[i].authored).toISOString(),
            source: v === 0 ? 'template' : 'repository',
            commitSha: commits[i].sha,
            message: history[i].message,
          }),
        ),
      );

      const deployments = await request(server).get(`${route}/deployments`);
      expect(deployments.body.items.length).toBeGreaterThan(0);
    }

    // Bob is in Checkout, which owns orders-service (the policy is tested
    // with the permission module; the default mock allows).
    const orders = '/api/deployments/entities/default/component/orders-service';
    const latest = (await request(server).get(`${orders}/settings`)).body;
    const res = await request(server)
      .put(`${orders}/settings`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'))
      .send({
        settings: { ...latest.settings, memoryMiB: 2048 },
        baseVersion: latest.version,
        message: 'More memory for the order cache',
      });
    expect(res.status).toBe(201);

    const gitDir = path.join(gitRoot, 'orders-service.git');
    const head = commitsOf(gitDir).pop()!;
    expect(res.body.version).toMatchObject({
      version: latest.version + 1,
      source: 'portal',
      commitSha: head.sha,
    });
    expect(head).toMatchObject({ name: 'Bob Brown', email: 'bob@example.com' });
    const diff = gitSync(['--git-dir', gitDir, 'show', '--format=', head.sha]);
    expect(diff.split('\n').filter(l => /^[-+][^-+]/.test(l))).toEqual([
      '-  memoryMiB: 1536',
      '+  memoryMiB: 2048',
    ]);
  });
});
