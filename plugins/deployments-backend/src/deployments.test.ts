import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { DeploymentDetails } from '@paved-road/plugin-deployments-common';
import { deploymentProvidersExtensionPoint } from '@paved-road/plugin-deployments-node';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import request from 'supertest';
import {
  createLocalGitProject,
  DESCRIPTOR,
  LOCAL_GIT_BASE_URL,
  PROJECT_REF,
  PROJECT_SETTINGS,
  projectEntity,
  userEntity,
} from './__testUtils__/localGitProject';
import { ScriptedProvider } from './__testUtils__/ScriptedProvider';
import { deploymentsPlugin } from './plugin';

jest.setTimeout(60_000);

const API = '/api/deployments';
const ORDERS = `${API}/entities/default/component/orders-kt`;
const ALICE = mockCredentials.user.header('user:default/alice');

type Decide = (
  permission: string,
) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

describe('deployments API', () => {
  let project: Awaited<ReturnType<typeof createLocalGitProject>>;
  let provider: ScriptedProvider;
  let tasks: Map<string, () => Promise<void>>;
  let events: AuditEventInput[];
  let notifications: jest.Mock;
  let signals: jest.Mock;

  beforeEach(async () => {
    project = await createLocalGitProject();
    provider = new ScriptedProvider('scripted');
    tasks = new Map();
    events = [];
    notifications = jest.fn(async () => {});
    signals = jest.fn(async () => {});
  });
  afterEach(() => project.cleanup());

  /** The backend module a platform team would write, with the test provider. */
  const scriptedModule = () =>
    createBackendModule({
      pluginId: 'deployments',
      moduleId: 'scripted',
      register(env) {
        env.registerInit({
          deps: { providers: deploymentProvidersExtensionPoint },
          async init({ providers }) {
            providers.addProvider(provider);
          },
        });
      },
    });

  async function startBackend(
    options: {
      decide?: Decide;
      providerConfig?: string | null;
      withModule?: boolean;
    } = {},
  ) {
    const {
      decide = () => AuthorizeResult.ALLOW,
      providerConfig = 'scripted',
      withModule = true,
    } = options;
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        ...(withModule ? [scriptedModule()] : []),
        mockServices.rootConfig.factory({
          data: {
            pavedRoad: {
              localGit: {
                directory: project.directory,
                baseUrl: LOCAL_GIT_BASE_URL,
              },
            },
            deployments: {
              ...(providerConfig ? { provider: providerConfig } : {}),
              runner: {
                pollInterval: { milliseconds: 50 },
                heartbeatInterval: { milliseconds: 100 },
                staleAfter: { seconds: 30 },
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            projectEntity,
            userEntity('guest', 'guest@example.com'),
            userEntity('alice', 'alice@example.com'),
          ],
        }),
        // Scheduled tasks (audit delivery, settings sync) run when a test says so.
        mockServices.scheduler.mock({
          scheduleTask: async task => {
            tasks.set(task.id, async () => {
              await task.fn(new AbortController().signal);
            });
          },
        }).factory,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({ result: decide(r.permission.name) })),
        }).factory,
        createServiceFactory({
          service: pavedRoadAuditServiceRef,
          deps: {},
          factory: () => ({
            record: async (event: AuditEventInput) => {
              events.push(event);
            },
          }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: notifications }),
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({ publish: signals }),
        }),
      ],
    });
    return server;
  }

  async function auditTrail() {
    await tasks.get('deployments-audit-outbox')!();
    return events;
  }

  const deploy = (server: any, body: object = {}) =>
    request(server)
      .post(`${ORDERS}/deployments`)
      .set('Authorization', ALICE)
      .send(body);

  /** Reads the deployment until it has finished. */
  async function finished(server: any, id: string): Promise<DeploymentDetails> {
    for (let i = 0; i < 200; i++) {
      const res = await request(server).get(`${API}/deployments/${id}`);
      if (res.body.finishedAt) {
        return res.body;
      }
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error(`Deployment ${id} did not finish`);
  }

  const head = () => project.git('rev-parse', 'main').trim();

  it('202 queues the head of the default branch; the runner deploys it, with stages, log, audit, notification and signals', async () => {
    const server = await startBackend();

    const res = await deploy(server);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      entityRef: PROJECT_REF,
      environment: 'production',
      version: project.initialCommit,
      status: 'pending',
      strategy: 'canary',
      triggeredBy: 'user:default/alice',
      startedAt: expect.any(String),
      finishedAt: null,
      source: 'portal',
      kind: 'deploy',
      ref: 'main',
      commitSha: project.initialCommit,
      committedAt: new Date(
        project.git('log', '-1', '--format=%cI', 'main').trim(),
      ).toISOString(),
      previousCommitSha: null,
      settingsVersion: 1,
      settings: PROJECT_SETTINGS,
      reason: null,
      attempts: 0,
      cancelRequestedBy: null,
      cancelRequestedAt: null,
      stages: [],
    });

    const done = await finished(server, res.body.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(done.stages.map(s => [s.name, s.status])).toEqual([
      ['build', 'succeeded'],
      ['canary', 'succeeded'],
      ['promote', 'succeeded'],
    ]);
    expect(provider.calls).toEqual([
      expect.objectContaining({
        deploymentId: res.body.id,
        commitSha: project.initialCommit,
        repository: {
          cloneUrl: `${LOCAL_GIT_BASE_URL}/orders-kt.git`,
          defaultBranch: 'main',
        },
        settings: PROJECT_SETTINGS,
      }),
    ]);

    // The log, incrementally.
    const first = await request(server)
      .get(`${API}/deployments/${res.body.id}/events`)
      .query({ limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      items: [
        {
          seq: 1,
          at: expect.any(String),
          line: `Building ${head().slice(0, 7)}`,
        },
        { seq: 2, at: expect.any(String), line: 'BUILD SUCCESS' },
      ],
      cursor: '2',
      finished: true,
      status: 'succeeded',
    });
    const rest = await request(server)
      .get(`${API}/deployments/${res.body.id}/events`)
      .query({ after: first.body.cursor });
    expect(rest.body.items.map((l: any) => l.line)).toEqual([
      'Canary of 2 replicas',
    ]);
    const end = await request(server)
      .get(`${API}/deployments/${res.body.id}/events`)
      .query({ after: rest.body.cursor });
    expect(end.body).toMatchObject({ items: [], cursor: '3', finished: true });

    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'deployment.started',
        outcome: 'succeeded',
        actor: 'user:default/alice',
        entityRef: PROJECT_REF,
        owner: 'group:default/checkout',
        costCenter: 'CC-1001',
        summary: `Deploying main (${project.initialCommit.slice(
          0,
          7,
        )}) to production`,
        details: expect.objectContaining({
          deploymentId: res.body.id,
          commitSha: project.initialCommit,
          settingsVersion: 1,
        }),
      }),
      expect.objectContaining({
        action: 'deployment.finished',
        outcome: 'succeeded',
        entityRef: PROJECT_REF,
      }),
    ]);
    expect(notifications).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: 'user:default/alice' },
      payload: expect.objectContaining({
        title: `orders-kt: deployed (${project.initialCommit.slice(
          0,
          7,
        )} to production)`,
        link: '/catalog/default/component/orders-kt/deployments',
      }),
    });
    const statuses = signals.mock.calls
      .map(([signal]) => signal)
      .filter(s => s.message.type === 'status')
      .map(s => `${s.channel} ${s.message.status}`);
    expect(statuses).toEqual([
      `deployments:${PROJECT_REF} pending`,
      `deployments:${PROJECT_REF} in-progress`,
      `deployments:${PROJECT_REF} succeeded`,
    ]);

    // The history lists it as a real deployment.
    const history = await request(server).get(`${ORDERS}/deployments`);
    expect(history.body.items).toEqual([
      expect.objectContaining({
        id: res.body.id,
        source: 'portal',
        status: 'succeeded',
      }),
    ]);
  });

  it('deploys a branch, a tag or a sha to the environment asked for, with the settings at that commit', async () => {
    const server = await startBackend();
    project.git('branch', 'feature', project.initialCommit);
    const changed = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 4 #'),
      'Four replicas',
    );
    project.git('tag', 'v1.0.0', project.initialCommit);

    const byTag = await deploy(server, {
      ref: 'v1.0.0',
      environment: 'staging',
    });
    expect(byTag.status).toBe(202);
    expect(byTag.body).toMatchObject({
      environment: 'staging',
      ref: 'v1.0.0',
      commitSha: project.initialCommit,
      settings: PROJECT_SETTINGS,
    });

    const bySha = await deploy(server, { ref: changed.slice(0, 10) });
    expect(bySha.status).toBe(202);
    expect(bySha.body).toMatchObject({
      environment: 'production',
      commitSha: changed,
      settings: { ...PROJECT_SETTINGS, replicas: 4 },
    });
  });

  it.each([
    [
      { ref: 'no-such-branch' },
      /^ref: no branch, tag or commit named no-such-branch in /,
    ],
    [{ ref: '--all' }, /^ref: must be a branch, tag or commit name/],
    [{ ref: 'main~1' }, /^ref: must be a branch, tag or commit name/],
    [{ ref: '' }, /^ref: /],
    [{ environment: 'Prod!' }, /^environment: must be lowercase/],
    [{ branch: 'main' }, /branch/],
  ])('400 naming the field for %p, nothing queued', async (body, message) => {
    const server = await startBackend();

    const res = await deploy(server, body);

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
    const history = await request(server).get(`${ORDERS}/deployments`);
    expect(history.body.items).toEqual([]);
  });

  it('400 naming ref when the settings at that commit are invalid', async () => {
    const server = await startBackend();
    const broken = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 0 #'),
      'Scale to zero',
    );

    const res = await deploy(server, { ref: broken });

    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^ref: deploy\/paved-road\.yaml at [0-9a-f]{7} is not valid: spec\.replicas: /,
    );
  });

  it('403 without deployments.deployment.create, audited as denied', async () => {
    const server = await startBackend({
      decide: permission =>
        permission === 'deployments.deployment.create'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });

    for (const res of [
      await deploy(server),
      await request(server)
        .post(`${ORDERS}/rollback`)
        .set('Authorization', ALICE)
        .send({}),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: 'Not allowed: deployments.deployment.create',
      });
    }
    expect(provider.calls).toEqual([]);
    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'deployment.started',
        outcome: 'denied',
        actor: 'user:default/alice',
        owner: 'group:default/checkout',
      }),
      expect.objectContaining({
        action: 'deployment.rolled-back',
        outcome: 'denied',
      }),
    ]);
  });

  it('401 without a user', async () => {
    const server = await startBackend();
    const res = await request(server)
      .post(`${ORDERS}/deployments`)
      .set('Authorization', mockCredentials.none.header())
      .send({});
    expect(res.status).toBe(401);
  });

  it('404 for an entity the catalog does not have and for an unknown deployment', async () => {
    const server = await startBackend();

    const unknownEntity = await request(server)
      .post(`${API}/entities/default/component/nope/deployments`)
      .set('Authorization', ALICE)
      .send({});
    expect(unknownEntity.status).toBe(404);
    expect(unknownEntity.body.error.name).toBe('NotFoundError');

    for (const res of [
      await request(server).get(`${API}/deployments/nope`),
      await request(server).get(`${API}/deployments/nope/events`),
      await request(server)
        .post(`${API}/deployments/nope/cancel`)
        .set('Authorization', ALICE),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No deployment nope',
      });
    }
  });

  it('409 while another deployment of the entity and environment is pending or running; another environment may go', async () => {
    provider.holding = true;
    const server = await startBackend();

    const first = await deploy(server);
    expect(first.status).toBe(202);
    const second = await deploy(server);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(
        new RegExp(
          `^A deployment of ${PROJECT_REF} to production is (pending|in-progress) \\(${first.body.id}\\)`,
        ),
      ),
    });
    await provider.whenHeld(first.body.id);
    expect((await deploy(server)).status).toBe(409);
    const staging = await deploy(server, { environment: 'staging' });
    expect(staging.status).toBe(202);

    provider.release(first.body.id);
    await provider.whenHeld(staging.body.id);
    provider.release(staging.body.id);
    await finished(server, first.body.id);
    await finished(server, staging.body.id);
    expect((await deploy(server)).status).toBe(202);
    // Failed attempts are audited too.
    expect(await auditTrail()).toContainEqual(
      expect.objectContaining({
        action: 'deployment.started',
        outcome: 'failed',
        summary: expect.stringContaining(
          'deployment.started failed: A deployment of',
        ),
      }),
    );
  });

  it('409 while the project is deactivated', async () => {
    const server = await startBackend();
    await request(server)
      .post(`${ORDERS}/deactivate`)
      .set('Authorization', ALICE)
      .expect(200);

    const res = await deploy(server);

    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `${PROJECT_REF} is deactivated; reactivate it to deploy`,
    );
  });

  it('rollback redeploys the previous successful version with its settings', async () => {
    const server = await startBackend();
    const none = await request(server)
      .post(`${ORDERS}/rollback`)
      .set('Authorization', ALICE)
      .send({});
    expect(none.status).toBe(409);

    const v1 = await deploy(server);
    await finished(server, v1.body.id);
    const second = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('memoryMiB: 512', 'memoryMiB: 1024'),
      'More memory',
    );
    const v2 = await deploy(server);
    expect(v2.body).toMatchObject({
      commitSha: second,
      previousCommitSha: project.initialCommit,
    });
    await finished(server, v2.body.id);
    // The only version it could go back to: a failed one does not count.
    provider.unhealthy.add(project.initialCommit);

    const res = await request(server)
      .post(`${ORDERS}/rollback`)
      .set('Authorization', ALICE)
      .send({});

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      kind: 'rollback',
      status: 'pending',
      ref: project.initialCommit,
      commitSha: project.initialCommit,
      previousCommitSha: second,
      settings: PROJECT_SETTINGS,
      settingsVersion: 1,
    });
    const done = await finished(server, res.body.id);
    expect(done).toMatchObject({
      status: 'rolled-back',
      reason: 'canary failed: /actuator/health answered 503',
    });
    expect(await auditTrail()).toContainEqual(
      expect.objectContaining({
        action: 'deployment.rolled-back',
        outcome: 'succeeded',
        summary: `Rolling production back from ${second.slice(
          0,
          7,
        )} to ${project.initialCommit.slice(0, 7)} (deployment ${v1.body.id})`,
      }),
    );
    expect(notifications).toHaveBeenLastCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: `orders-kt: deployment rolled back (${project.initialCommit.slice(
            0,
            7,
          )} to production)`,
          severity: 'high',
        }),
      }),
    );
  });

  it('cancel aborts a running deployment and is refused once it has finished', async () => {
    provider.holding = true;
    const server = await startBackend();
    const started = await deploy(server);
    await provider.whenHeld(started.body.id);

    const res = await request(server)
      .post(`${API}/deployments/${started.body.id}/cancel`)
      .set('Authorization', ALICE);

    expect(res.status).toBe(202);
    expect(res.body.cancelRequestedBy).toBe('user:default/alice');
    const done = await finished(server, started.body.id);
    expect(done).toMatchObject({
      status: 'rolled-back',
      reason:
        'cancelled by user:default/alice: canary failed: Cancelled by user:default/alice',
    });
    const again = await request(server)
      .post(`${API}/deployments/${started.body.id}/cancel`)
      .set('Authorization', ALICE);
    expect(again.status).toBe(409);
  });

  it('runtime answers what the provider runs: an empty list before the first deployment', async () => {
    const server = await startBackend();

    const before = await request(server).get(`${ORDERS}/runtime`);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      entityRef: PROJECT_REF,
      environment: 'production',
      provider: 'scripted',
      url: null,
      instances: [],
      desiredReplicas: null,
    });

    const started = await deploy(server);
    await finished(server, started.body.id);
    const after = await request(server).get(`${ORDERS}/runtime`);
    expect(after.body).toMatchObject({
      url: 'http://localhost:40000',
      instances: [
        expect.objectContaining({
          version: project.initialCommit,
          healthy: true,
        }),
      ],
      desiredReplicas: 2,
      note: '1 of 2 replicas run locally',
    });
  });

  it('dora computes from the stored runs; 400 naming days', async () => {
    const server = await startBackend();
    const started = await deploy(server);
    await finished(server, started.body.id);

    const res = await request(server).get(`${ORDERS}/dora`).query({ days: 7 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: PROJECT_REF,
      environment: 'production',
      days: 7,
      deploymentFrequency: { successful: 1, perWeek: 1 },
      leadTimeForChanges: { deployments: 1 },
      changeFailureRate: { failed: 0, total: 1, rate: 0 },
      timeToRestore: { medianSeconds: null, incidents: 0, restored: 0 },
    });
    for (const days of ['0', '366', 'ten']) {
      const bad = await request(server).get(`${ORDERS}/dora`).query({ days });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^days must be an integer/);
    }
    const badCursor = await request(server)
      .get(`${API}/deployments/${started.body.id}/events`)
      .query({ after: 'x' });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.message).toMatch(/^after must be/);
  });

  it('503 naming deployments.provider when no provider is configured; reads still work', async () => {
    const server = await startBackend({ providerConfig: null });

    for (const res of [
      await deploy(server),
      await request(server).get(`${ORDERS}/runtime`),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('set deployments.provider'),
      });
    }
    const dora = await request(server).get(`${ORDERS}/dora`);
    expect(dora.status).toBe(200);
  });

  it('refuses to start when deployments.provider names a provider no module added, naming the module', async () => {
    await expect(
      startBackend({ providerConfig: 'local', withModule: false }),
    ).rejects.toThrow(
      "deployments.provider is 'local', but no backend module added a deployment provider with that id; add backend.add(import('@paved-road/plugin-deployments-backend-module-local')) to the backend",
    );
  });
});
