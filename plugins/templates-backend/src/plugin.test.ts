import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import {
  BackstageCredentials,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The portal as packages/backend composes it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import { isolatedGitEnv } from '@paved-road/plugin-local-git-node';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import scaffolderModulePavedRoad from '@paved-road/plugin-scaffolder-backend-module-paved-road';
import type { UpgradeJob } from '@paved-road/plugin-templates-common';
import request from 'supertest';
import { fixture, lines, writeTree } from './__testUtils__/tinyTemplate';
import { templatesPlugin } from './plugin';
import { teamEdits } from './upgrade/__testUtils__/projects';
import {
  startScaffolder,
  templateEntity,
  upToPublish,
} from './render/__testUtils__/scaffolder';

jest.setTimeout(120_000);

const LOCAL_GIT_URL = 'http://localhost:7007/api/local-git';
const TEMPLATE_REF = 'template:default/tiny-service';
const PROJECTS = ['orders-one', 'orders-two', 'orders-three', 'fleet-one'];

// alice is in the owning team of every project but fleet-one; bob in none.
const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');

function decide(
  permission: string,
  credentials: BackstageCredentials,
  ref?: string,
) {
  // The scaffolder's own checks of the render (the plugin's service
  // credentials) and everything but upgrades are allowed.
  if (permission !== 'templates.project.upgrade') return AuthorizeResult.ALLOW;
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  return user === 'user:default/alice' && ref !== 'component:default/fleet-one'
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

function project(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `url:${LOCAL_GIT_URL}/${name}/raw/main/catalog-info.yaml`,
        'backstage.io/source-template': TEMPLATE_REF,
        'paved-road.io/template-version': '1.0.0',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/checkout',
    },
  };
}

const alice: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice', namespace: 'default' },
  spec: { profile: { displayName: 'Alice Adams', email: 'alice@example.com' } },
};

describe('templates plugin: project upgrades over the REST API', () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const events: AuditEventInput[] = [];
  // Scheduled tasks run when a test says so; the worker also starts at
  // once after each request.
  const tasks = new Map<string, () => Promise<void>>();
  const gitDir = () => join(root, 'git');
  const git = (name: string, ...args: string[]) =>
    execFileSync(
      'git',
      [`--git-dir=${join(gitDir(), `${name}.git`)}`, ...args],
      {
        env: isolatedGitEnv(),
        encoding: 'utf8',
      },
    );

  /** The audit events delivered so far through the plugin's outbox. */
  async function delivered(): Promise<AuditEventInput[]> {
    await tasks.get('templates-audit-outbox')!();
    return events;
  }

  async function finished(id: string): Promise<UpgradeJob> {
    for (let i = 0; i < 300; i++) {
      const res = await request(server)
        .get(`/api/templates/upgrades/${id}`)
        .set('authorization', ALICE);
      if (['succeeded', 'failed'].includes(res.body.job?.status))
        return res.body.job;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`upgrade ${id} did not finish`);
  }

  beforeAll(async () => {
    root = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-templates-api-'));
    const templateDir = join(root, 'template');
    await writeTree(templateDir, fixture('1.0.0'));
    // The projects, made from 1.0.0 by real scaffolder tasks.
    const creator = await startScaffolder({
      gitDir: gitDir(),
      entities: [upToPublish(await templateEntity(templateDir))],
    });
    for (const name of PROJECTS) {
      await creator.runTask({ templateRef: TEMPLATE_REF, values: { name } });
    }
    await creator.stop();
    // orders-three's team changed the line 1.1.0 changes too.
    await teamEdits(join(gitDir(), 'orders-three.git'), root, dir =>
      fs.writeFile(join(dir, 'config.txt'), lines(10, { 9: 'line 9 (team)' })),
    );

    // Then the template moves on to 1.1.0, and the portal serves it.
    await writeTree(templateDir, fixture('1.1.0'));
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        localGitPlugin,
        templatesPlugin,
        catalogServiceMock.factory({
          entities: [
            await templateEntity(templateDir),
            ...PROJECTS.map(project),
            alice,
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'handmade', namespace: 'default' },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'group:default/checkout',
              },
            },
          ],
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
                directory: gitDir(),
                baseUrl: LOCAL_GIT_URL,
                publicRead: true,
              },
            },
          },
        }),
        mockServices.scheduler.mock({
          scheduleTask: async task => {
            tasks.set(task.id, async () => {
              await task.fn(new AbortController().signal);
            });
          },
        }).factory,
        mockServices.permissions.mock({
          authorize: async (requests, { credentials }) =>
            requests.map(r => ({
              result: decide(
                r.permission.name,
                credentials,
                (r as { resourceRef?: string }).resourceRef,
              ),
            })),
          // The scaffolder's template checks: no conditions here.
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }).factory,
        createServiceFactory({
          service: pavedRoadAuditServiceRef,
          deps: {},
          factory: () => ({
            record: async (event: AuditEventInput) => void events.push(event),
          }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('tells a project which version it could upgrade to, with the changelog and the new question', async () => {
    const res = await request(server)
      .get('/api/templates/projects/default/component/orders-one/upgrade')
      .set('authorization', ALICE);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/orders-one',
      templateRef: TEMPLATE_REF,
      currentVersion: '1.0.0',
      latestVersion: '1.1.0',
      available: true,
      changelog: [
        { version: '1.1.0', body: expect.stringContaining('NEW.md') },
      ],
      newAnswers: { greeting: 'Hello' },
      missingAnswers: [],
    });
    const handmade = await request(server)
      .get('/api/templates/projects/default/component/handmade/upgrade')
      .set('authorization', ALICE);
    expect(handmade.body).toMatchObject({
      available: false,
      reason: 'not-from-template',
    });
    const missing = await request(server)
      .get('/api/templates/projects/default/component/nope/upgrade')
      .set('authorization', ALICE);
    expect(missing.status).toBe(404);
  });

  it('refuses bad requests with a 4xx naming the field, and queues nothing', async () => {
    const path = '/api/templates/projects/default/component/orders-one/upgrade';
    const unsigned = await request(server)
      .post(path)
      .set('authorization', mockCredentials.none.header())
      .send({ toVersion: '1.1.0' });
    expect(unsigned.status).toBe(401);
    const noVersion = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: 5 });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toMatch(/^toVersion: /);
    const unknown = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: '1.1.0', answers: { colour: 'blue' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /^answers\.colour: .*asks no such question/,
    );
    const wrongType = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: '1.1.0', answers: { greeting: 5 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(
      /^answers\.greeting: .*string/,
    );
    const stale = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: '1.0.5' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('not the latest version');
    const info = await request(server).get(path).set('authorization', ALICE);
    expect(info.body.job).toBeUndefined();
  });

  it("refuses another team's upgrade and records the refusal", async () => {
    const res = await request(server)
      .post('/api/templates/projects/default/component/orders-one/upgrade')
      .set('authorization', BOB)
      .send({ toVersion: '1.1.0' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed: templates.project.upgrade',
    );
    expect((await delivered()).filter(e => e.outcome === 'denied')).toEqual([
      expect.objectContaining({
        action: 'upgrade.requested',
        actor: 'user:default/bob',
        entityRef: 'component:default/orders-one',
      }),
    ]);
  });

  it('upgrades a project into a branch, once however often it is asked', async () => {
    const path = '/api/templates/projects/default/component/orders-one/upgrade';
    const queued = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: '1.1.0' });
    expect(queued.status).toBe(202);
    expect(queued.headers.location).toBe(`upgrades/${queued.body.job.id}`);
    expect(queued.body.job).toMatchObject({
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      requestedBy: 'user:default/alice',
    });
    const again = await request(server)
      .post(path)
      .set('authorization', ALICE)
      .send({ toVersion: '1.1.0' });
    expect(again.status).toBe(200);
    expect(again.body.job.id).toBe(queued.body.job.id);

    const job = await finished(queued.body.job.id);
    expect(job.error).toBeUndefined();
    expect(job).toMatchObject({
      status: 'succeeded',
      outcome: 'clean',
      result: {
        branch: 'paved-road/upgrade-1.1.0',
        cloneUrl: `${LOCAL_GIT_URL}/orders-one.git`,
        conflicts: [],
      },
    });
    expect(
      git('orders-one', 'show', 'paved-road/upgrade-1.1.0:config.txt'),
    ).toBe(lines(10, { 9: 'line 9 (template 1.1.0)' }));
    expect(git('orders-one', 'show', 'paved-road/upgrade-1.1.0:NEW.md')).toBe(
      '# Hello from orders-one\n',
    );
    // Authored by the user who asked, from their profile.
    expect(
      git(
        'orders-one',
        'log',
        '-1',
        '--format=%an <%ae>',
        'paved-road/upgrade-1.1.0',
      ),
    ).toBe('Alice Adams <alice@example.com>\n');
    expect(
      (await delivered())
        .filter(
          e =>
            e.entityRef === 'component:default/orders-one' &&
            e.outcome === 'succeeded',
        )
        .map(e => e.action),
    ).toEqual(['upgrade.requested', 'upgrade.finished']);
  });

  it("shows the template's fleet and upgrades it in a batch, skipping what the caller may not upgrade", async () => {
    const fleet = await request(server)
      .get('/api/templates/fleet/default/tiny-service')
      .set('authorization', ALICE);
    expect(fleet.status).toBe(200);
    expect(fleet.body).toMatchObject({
      templateRef: TEMPLATE_REF,
      latestVersion: '1.1.0',
      versions: [{ version: '1.0.0', count: 4 }],
    });
    expect(
      fleet.body.projects.map(
        (p: { entityRef: string; available: boolean; job?: UpgradeJob }) => [
          p.entityRef,
          p.available,
          p.job?.status,
        ],
      ),
    ).toEqual([
      ['component:default/fleet-one', true, undefined],
      ['component:default/orders-one', true, 'succeeded'],
      ['component:default/orders-three', true, undefined],
      ['component:default/orders-two', true, undefined],
    ]);

    const res = await request(server)
      .post('/api/templates/fleet/default/tiny-service/upgrades')
      .set('authorization', ALICE)
      .send({ toVersion: '1.1.0' });
    expect(res.status).toBe(202);
    const { batch } = res.body;
    expect(batch.skipped).toEqual([
      { entityRef: 'component:default/fleet-one', reason: 'not allowed' },
    ]);
    // orders-one's finished job joins the batch rather than running again.
    expect(batch.jobs.map((j: UpgradeJob) => j.entityRef)).toEqual([
      'component:default/orders-one',
      'component:default/orders-three',
      'component:default/orders-two',
    ]);
    for (const job of batch.jobs) await finished(job.id);
    const report = await request(server)
      .get(`/api/templates/batches/${batch.id}`)
      .set('authorization', ALICE);
    expect(
      report.body.batch.jobs.map((j: UpgradeJob) => [
        j.entityRef,
        j.status,
        j.outcome,
        j.result?.conflicts.map(c => c.path),
      ]),
    ).toEqual([
      ['component:default/orders-one', 'succeeded', 'clean', []],
      [
        'component:default/orders-three',
        'succeeded',
        'conflicts',
        ['config.txt'],
      ],
      ['component:default/orders-two', 'succeeded', 'clean', []],
    ]);
    expect(
      git('orders-three', 'show', 'paved-road/upgrade-1.1.0:config.txt'),
    ).toContain('<<<<<<< ');
    // The compare view of local git: the patch the upgrade brings.
    const three = batch.jobs.find(
      (j: UpgradeJob) => j.entityRef === 'component:default/orders-three',
    );
    const diff = await request(server)
      .get(`/api/templates/upgrades/${three.id}/diff`)
      .set('authorization', ALICE);
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ truncated: false });
    expect(diff.body.patch).toContain('+++ b/NEW.md');
    expect(diff.body.patch).toContain('+<<<<<<< ');
    expect(git('fleet-one', 'branch', '--list', 'paved-road/upgrade-*')).toBe(
      '',
    );
  });
  it('merges a clean upgrade into the default branch from the portal (local git takes no pushes), once', async () => {
    const info = await request(server)
      .get('/api/templates/projects/default/component/orders-two/upgrade')
      .set('authorization', ALICE);
    const { job } = info.body;
    const main = git('orders-two', 'rev-parse', 'main').trim();
    const denied = await request(server)
      .post(`/api/templates/upgrades/${job.id}/merge`)
      .set('authorization', BOB);
    expect(denied.status).toBe(403);
    expect(git('orders-two', 'rev-parse', 'main').trim()).toBe(main);

    const merged = await request(server)
      .post(`/api/templates/upgrades/${job.id}/merge`)
      .set('authorization', ALICE);
    expect(merged.body.error?.message).toBeUndefined();
    expect(merged.status).toBe(200);
    expect(merged.body.job).toMatchObject({
      mergedBy: 'user:default/alice',
      mergedAt: expect.any(String),
    });
    expect(git('orders-two', 'rev-parse', 'main').trim()).toBe(
      job.result.commit,
    );
    expect(git('orders-two', 'show', 'main:NEW.md')).toBe(
      '# Hello from orders-two\n',
    );
    const again = await request(server)
      .post(`/api/templates/upgrades/${job.id}/merge`)
      .set('authorization', ALICE);
    expect(again.body.job.mergedAt).toBe(merged.body.job.mergedAt);

    // One with conflicts is for the team to resolve in a clone.
    const three = await request(server)
      .get('/api/templates/projects/default/component/orders-three/upgrade')
      .set('authorization', ALICE);
    const conflicted = await request(server)
      .post(`/api/templates/upgrades/${three.body.job.id}/merge`)
      .set('authorization', ALICE);
    expect(conflicted.status).toBe(409);
    expect(conflicted.body.error.message).toContain('has conflicts');
    expect(
      (await delivered())
        .filter(e => e.action === 'upgrade.merged')
        .map(e => [e.entityRef, e.outcome]),
    ).toEqual([
      ['component:default/orders-two', 'denied'],
      ['component:default/orders-two', 'succeeded'],
    ]);
  });
});
