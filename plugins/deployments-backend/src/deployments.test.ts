import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  previewEnvironmentName,
  type DeploymentDetails,
  type DeploymentEnvironment,
} from '@paved-road/plugin-deployments-common';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import {
  createLocalGitProject,
  DESCRIPTOR,
  LOCAL_GIT_BASE_URL,
  PROJECT_REF,
  PROJECT_SETTINGS,
} from './__testUtils__/localGitProject';
import { ScriptedProvider } from './__testUtils__/ScriptedProvider';
import {
  Decide,
  providerModule,
  testServices,
} from './__testUtils__/testServices';
import { deploymentsPlugin } from './plugin';

jest.setTimeout(60_000);

const API = '/api/deployments';
const ORDERS = `${API}/entities/default/component/orders-kt`;
const ALICE = mockCredentials.user.header('user:default/alice');

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

  async function startBackend(
    options: {
      decide?: Decide;
      providerConfig?: string | null;
      withModule?: boolean;
      previewTtl?: object;
    } = {},
  ) {
    const {
      decide = () => AuthorizeResult.ALLOW,
      providerConfig = 'scripted',
      withModule = true,
      previewTtl = { hours: 4 },
    } = options;
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        ...(withModule ? [providerModule(provider)] : []),
        ...testServices({
          directory: project.directory,
          deployments: {
            ...(providerConfig ? { provider: providerConfig } : {}),
            environments: ['production', 'staging'],
            previews: { ttl: previewTtl },
            runner: {
              pollInterval: { milliseconds: 50 },
              heartbeatInterval: { milliseconds: 100 },
              staleAfter: { seconds: 30 },
            },
          },
          users: ['guest', 'alice'],
          decide,
          tasks,
          events,
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
    [
      { environment: 'qa' },
      /^environment: qa is neither a configured environment \(production, staging\) nor a preview/,
    ],
    [
      { environment: 'preview-main' },
      /^environment: a preview deploys a branch: give the branch as ref/,
    ],
    [
      { ref: 'main', environment: 'preview-feature-x' },
      /^environment: a preview deploys a branch: preview-main for ref main$/,
    ],
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
      await request(server)
        .delete(`${ORDERS}/environments/preview-main`)
        .set('Authorization', ALICE),
    ]) {
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('set deployments.provider'),
      });
    }
    const dora = await request(server).get(`${ORDERS}/dora`);
    expect(dora.status).toBe(200);
    const environments = await request(server).get(`${ORDERS}/environments`);
    expect(environments.status).toBe(200);
    expect(environments.body.items).toEqual([
      expect.objectContaining({ name: 'production', url: null }),
      expect.objectContaining({ name: 'staging', url: null }),
    ]);
  });

  it('refuses to start when deployments.provider names a provider no module added, naming the module', async () => {
    await expect(
      startBackend({ providerConfig: 'local', withModule: false }),
    ).rejects.toThrow(
      "deployments.provider is 'local', but no backend module added a deployment provider with that id; add backend.add(import('@paved-road/plugin-deployments-backend-module-local')) to the backend",
    );
  });

  describe('environments', () => {
    const ENVIRONMENTS = `${ORDERS}/environments`;
    const HOURS_4 = 4 * 60 * 60 * 1000;

    const tearDown = (server: any, name: string, auth = ALICE) =>
      request(server)
        .delete(`${ENVIRONMENTS}/${encodeURIComponent(name)}`)
        .set('Authorization', auth);

    const listed = async (server: any) => {
      const res = await request(server).get(ENVIRONMENTS);
      expect(res.status).toBe(200);
      return res.body.items as DeploymentEnvironment[];
    };

    /** Deploys `branch` (created at the first commit) to its preview. */
    async function deployPreview(server: any, branch: string) {
      if (!project.git('branch', '--list', branch).trim()) {
        project.git('branch', branch, project.initialCommit);
      }
      const res = await deploy(server, {
        ref: branch,
        environment: previewEnvironmentName(branch),
      });
      expect(res.status).toBe(202);
      return finished(server, res.body.id);
    }

    const standard = (name: string) => ({
      name,
      kind: 'standard',
      branch: null,
      url: null,
      instances: { total: 0, healthy: 0 },
      lastDeployment: null,
      createdBy: null,
      createdAt: expect.any(String),
      expiresAt: null,
    });

    it('deploys a branch to its own preview, listed after the standard environments with its URL, instances and expiry; runtime and dora read it', async () => {
      const server = await startBackend();

      const done = await deployPreview(server, 'feature/login');

      expect(done).toMatchObject({
        status: 'succeeded',
        environment: 'preview-feature-login',
        ref: 'feature/login',
        commitSha: project.initialCommit,
      });
      expect(provider.calls).toEqual([
        expect.objectContaining({
          environment: 'preview-feature-login',
          ref: 'feature/login',
        }),
      ]);
      const res = await request(server)
        .get(ENVIRONMENTS)
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          standard('production'),
          standard('staging'),
          {
            name: 'preview-feature-login',
            kind: 'preview',
            branch: 'feature/login',
            url: 'http://localhost:40000',
            instances: { total: 1, healthy: 1 },
            lastDeployment: {
              id: done.id,
              status: 'succeeded',
              ref: 'feature/login',
              commitSha: project.initialCommit,
              triggeredBy: 'user:default/alice',
              startedAt: done.startedAt,
              finishedAt: done.finishedAt,
            },
            createdBy: 'user:default/alice',
            createdAt: done.startedAt,
            expiresAt: new Date(
              Date.parse(done.startedAt) + HOURS_4,
            ).toISOString(),
          },
        ],
      });

      const runtime = await request(server)
        .get(`${ORDERS}/runtime`)
        .query({ environment: 'preview-feature-login' });
      expect(runtime.body).toMatchObject({
        environment: 'preview-feature-login',
        url: 'http://localhost:40000',
      });
      const production = await request(server).get(`${ORDERS}/runtime`);
      expect(production.body).toMatchObject({ url: null, instances: [] });
      const dora = await request(server)
        .get(`${ORDERS}/dora`)
        .query({ environment: 'preview-feature-login' });
      expect(dora.body).toMatchObject({
        environment: 'preview-feature-login',
        deploymentFrequency: { successful: 1 },
      });
      expect(await auditTrail()).toContainEqual(
        expect.objectContaining({
          action: 'deployment.started',
          outcome: 'succeeded',
          details: expect.objectContaining({
            environment: 'preview-feature-login',
            expiresAt: new Date(
              Date.parse(done.startedAt) + HOURS_4,
            ).toISOString(),
          }),
        }),
      );
      const none = await request(server)
        .get(ENVIRONMENTS)
        .set('Authorization', mockCredentials.none.header());
      expect(none.status).toBe(401);
    });

    it('renews a preview with every deployment to it; 400 for a tag or sha, 409 for another branch with the same preview name', async () => {
      const server = await startBackend();
      const first = await deployPreview(server, 'feature/x');
      const second = await deployPreview(server, 'feature/x');
      project.git('branch', 'feature-x', project.initialCommit);
      project.git('tag', 'v1.0.0', project.initialCommit);
      const sha = project.initialCommit.slice(0, 10);

      const [, , preview] = await listed(server);
      expect(preview).toMatchObject({
        name: 'preview-feature-x',
        createdAt: first.startedAt,
        expiresAt: new Date(
          Date.parse(second.startedAt) + HOURS_4,
        ).toISOString(),
        lastDeployment: expect.objectContaining({ id: second.id }),
      });

      for (const ref of ['v1.0.0', sha]) {
        const res = await deploy(server, {
          ref,
          environment: previewEnvironmentName(ref),
        });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          `ref: a preview deploys a branch; ${LOCAL_GIT_BASE_URL}/orders-kt.git has no branch named ${ref}`,
        );
      }
      const other = await deploy(server, {
        ref: 'feature-x',
        environment: 'preview-feature-x',
      });
      expect(other.status).toBe(409);
      expect(other.body.error.message).toBe(
        'preview-feature-x is the preview of branch feature/x; tear it down before deploying feature-x there',
      );
      const history = await request(server).get(`${ORDERS}/deployments`);
      expect(history.body.items).toHaveLength(2);
    });

    it('DELETE tears a preview down: 204, the provider stops it, audited; then 404, and a new deployment brings it back', async () => {
      const server = await startBackend();
      await deployPreview(server, 'feature/x');

      const res = await tearDown(server, 'preview-feature-x');

      expect(res.status).toBe(204);
      expect(provider.teardowns).toEqual([`${PROJECT_REF}|preview-feature-x`]);
      const runtime = await request(server)
        .get(`${ORDERS}/runtime`)
        .query({ environment: 'preview-feature-x' });
      expect(runtime.body).toMatchObject({ url: null, instances: [] });
      expect((await listed(server)).map(e => e.name)).toEqual([
        'production',
        'staging',
      ]);

      const again = await tearDown(server, 'preview-feature-x');
      expect(again.status).toBe(404);
      expect(again.body.error.message).toMatch(
        /^preview-feature-x of component:default\/orders-kt was torn down at \S+ by user:default\/alice$/,
      );
      const rollback = await request(server)
        .post(`${ORDERS}/rollback`)
        .set('Authorization', ALICE)
        .send({ environment: 'preview-feature-x' });
      expect(rollback.status).toBe(409);
      expect(rollback.body.error.message).toBe(
        `preview-feature-x of ${PROJECT_REF} is not a live preview; deploy its branch to bring it back`,
      );
      const trail = await auditTrail();
      expect(trail).toContainEqual(
        expect.objectContaining({
          action: 'environment.torn-down',
          outcome: 'succeeded',
          actor: 'user:default/alice',
          owner: 'group:default/checkout',
          costCenter: 'CC-1001',
          summary: 'Tore down preview-feature-x (branch feature/x)',
          details: expect.objectContaining({
            environment: 'preview-feature-x',
            branch: 'feature/x',
            reason: 'requested',
          }),
        }),
      );
      expect(trail).toContainEqual(
        expect.objectContaining({
          action: 'environment.torn-down',
          outcome: 'failed',
        }),
      );

      const revived = await deployPreview(server, 'feature/x');
      const [, , preview] = await listed(server);
      expect(preview).toMatchObject({
        name: 'preview-feature-x',
        createdAt: revived.startedAt,
        url: 'http://localhost:40000',
      });
    });

    it('DELETE refuses: 409 for a standard environment or while a deployment to it runs, 404 for an unknown preview, 400 for a malformed name, 401 without a user', async () => {
      provider.holding = true;
      const server = await startBackend();

      const production = await tearDown(server, 'production');
      expect(production.status).toBe(409);
      expect(production.body.error).toEqual({
        name: 'ConflictError',
        message:
          'production is a standard environment, not a preview; only previews are torn down',
      });
      for (const name of ['preview-nope', 'qa']) {
        const res = await tearDown(server, name);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(
          `No preview environment ${name} of ${PROJECT_REF}`,
        );
      }
      const malformed = await tearDown(server, 'Prod!');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(
        /^environment: must be lowercase/,
      );
      const rollback = await request(server)
        .post(`${ORDERS}/rollback`)
        .set('Authorization', ALICE)
        .send({ environment: 'qa' });
      expect(rollback.status).toBe(400);
      expect(rollback.body.error.message).toMatch(
        /^environment: qa is neither a configured environment/,
      );

      project.git('branch', 'feature/x', project.initialCommit);
      const running = await deploy(server, {
        ref: 'feature/x',
        environment: 'preview-feature-x',
      });
      await provider.whenHeld(running.body.id);
      const busy = await tearDown(server, 'preview-feature-x');
      expect(busy.status).toBe(409);
      expect(busy.body.error.message).toBe(
        `A deployment of ${PROJECT_REF} to preview-feature-x is in-progress (${running.body.id}); cancel it or wait for it to finish before tearing preview-feature-x down`,
      );
      expect(provider.teardowns).toEqual([]);

      provider.release(running.body.id);
      await finished(server, running.body.id);
      const none = await tearDown(
        server,
        'preview-feature-x',
        mockCredentials.none.header(),
      );
      expect(none.status).toBe(401);
      expect((await tearDown(server, 'preview-feature-x')).status).toBe(204);
    });

    it('403 without deployments.deployment.create, audited as denied; allowed on a deactivated project', async () => {
      let allowed = true;
      const server = await startBackend({
        decide: permission =>
          allowed || permission !== 'deployments.deployment.create'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      });
      await deployPreview(server, 'feature/x');

      allowed = false;
      const denied = await tearDown(server, 'preview-feature-x');
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'Not allowed: deployments.deployment.create',
      );
      expect(provider.teardowns).toEqual([]);
      expect(await auditTrail()).toContainEqual(
        expect.objectContaining({
          action: 'environment.torn-down',
          outcome: 'denied',
          actor: 'user:default/alice',
          owner: 'group:default/checkout',
        }),
      );

      allowed = true;
      await request(server)
        .post(`${ORDERS}/deactivate`)
        .set('Authorization', ALICE)
        .expect(200);
      expect(
        (
          await deploy(server, {
            ref: 'feature/x',
            environment: 'preview-feature-x',
          })
        ).status,
      ).toBe(409);
      expect((await tearDown(server, 'preview-feature-x')).status).toBe(204);
    });

    it('lists an environment whose runtime the provider cannot read with no URL and no instances', async () => {
      const server = await startBackend();
      const done = await deployPreview(server, 'feature/x');
      provider.unreadable.add('preview-feature-x');

      const [, , preview] = await listed(server);

      expect(preview).toMatchObject({
        name: 'preview-feature-x',
        url: null,
        instances: { total: 0, healthy: 0 },
        lastDeployment: expect.objectContaining({ id: done.id }),
      });
    });

    it('the TTL task tears down previews whose TTL ran out as the plugin, and keeps one deployed since', async () => {
      const server = await startBackend({ previewTtl: { seconds: 3 } });
      await deployPreview(server, 'feature/a');
      await new Promise(resolve => setTimeout(resolve, 3_100));
      await deployPreview(server, 'feature/b');

      await tasks.get('deployments-previews-cleanup')!();

      expect(provider.teardowns).toEqual([`${PROJECT_REF}|preview-feature-a`]);
      expect((await listed(server)).map(e => e.name)).toEqual([
        'production',
        'staging',
        'preview-feature-b',
      ]);
      expect(await auditTrail()).toContainEqual(
        expect.objectContaining({
          action: 'environment.torn-down',
          outcome: 'succeeded',
          actor: 'plugin:deployments',
          entityRef: PROJECT_REF,
          details: expect.objectContaining({
            environment: 'preview-feature-a',
            reason: 'expired',
          }),
        }),
      );
    });
  });
});
