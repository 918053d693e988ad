import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import {
  createLocalGitProject,
  DESCRIPTOR,
  LOCAL_GIT_BASE_URL,
  PROJECT_REF,
  PROJECT_SETTINGS,
} from './__testUtils__/localGitProject';
import { Decide, testServices } from './__testUtils__/testServices';
import { deploymentsPlugin } from './plugin';

jest.setTimeout(60_000);

const ORDERS = '/api/deployments/entities/default/component/orders-kt';
const ALICE = mockCredentials.user.header('user:default/alice');

describe('deployment settings and project state', () => {
  let project: Awaited<ReturnType<typeof createLocalGitProject>>;
  let tasks: Map<string, () => Promise<void>>;
  let events: AuditEventInput[];

  beforeEach(async () => {
    project = await createLocalGitProject();
    tasks = new Map();
    events = [];
  });
  afterEach(() => project.cleanup());

  async function startBackend(decide: Decide = () => AuthorizeResult.ALLOW) {
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        ...testServices({
          directory: project.directory,
          users: ['guest', 'alice', 'bob'],
          decide,
          tasks,
          events,
        }),
      ],
    });
    return server;
  }

  /** Delivers the outbox and returns what reached the audit trail. */
  async function auditTrail() {
    await tasks.get('deployments-audit-outbox')!();
    return events;
  }

  const sync = () => tasks.get('deployments-settings-sync')!();
  const commitCount = () => Number(project.git('rev-list', '--count', 'main'));

  function change(overrides: Record<string, unknown> = {}) {
    return {
      settings: { ...PROJECT_SETTINGS, replicas: 3 },
      baseVersion: 1,
      message: 'More replicas for the sale',
      ...overrides,
    };
  }

  it('answers 200 with the template version right after the project is created', async () => {
    const server = await startBackend();

    const res = await request(server).get(`${ORDERS}/settings`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: PROJECT_REF,
      version: 1,
      settings: PROJECT_SETTINGS,
      createdBy: 'user:default/guest',
      createdAt: expect.any(String),
      source: 'template',
      commitSha: project.initialCommit,
      commitUrl: `${LOCAL_GIT_BASE_URL}/orders-kt/raw/${project.initialCommit}/deploy/paved-road.yaml`,
      message: 'Initial commit',
    });
    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.body.items.map((v: any) => v.version)).toEqual([1]);
  });

  it('the scheduled sync finds new projects through the catalog', async () => {
    const server = await startBackend();
    await sync();

    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.body.items).toEqual([
      expect.objectContaining({ version: 1, source: 'template' }),
    ]);
  });

  it('404s for an entity without settings', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/deployments/entities/default/component/unknown/settings',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('PUT commits one changed line as the user, stores the version and audits it', async () => {
    const server = await startBackend();

    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change());

    expect(res.status).toBe(201);
    const head = project.git('rev-parse', 'main').trim();
    expect(res.body).toEqual({
      mode: 'commit',
      version: {
        entityRef: PROJECT_REF,
        version: 2,
        settings: { ...PROJECT_SETTINGS, replicas: 3 },
        createdBy: 'user:default/alice',
        createdAt: expect.any(String),
        source: 'portal',
        commitSha: head,
        commitUrl: `${LOCAL_GIT_BASE_URL}/orders-kt/raw/${head}/deploy/paved-road.yaml`,
        message: 'More replicas for the sale',
      },
    });
    expect(commitCount()).toBe(2);
    expect(
      project.git('log', '-1', '--format=%an <%ae>|%s', 'main').trim(),
    ).toBe('alice Person <alice@example.com>|More replicas for the sale');
    expect(project.git('show', 'main:deploy/paved-road.yaml')).toBe(
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 3 #'),
    );

    const latest = await request(server).get(`${ORDERS}/settings`);
    expect(latest.body.version).toBe(2);
    // The sync sees its own commit as the stored version: no duplicate.
    await sync();
    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.body.items.map((v: any) => v.version)).toEqual([2, 1]);

    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'settings.changed',
        outcome: 'succeeded',
        actor: 'user:default/alice',
        entityRef: PROJECT_REF,
        owner: 'group:default/checkout',
        businessUnit: 'group:default/commerce',
        costCenter: 'CC-1001',
        summary: 'replicas 2 → 3: More replicas for the sale',
        details: expect.objectContaining({
          before: PROJECT_SETTINGS,
          after: { ...PROJECT_SETTINGS, replicas: 3 },
          commitSha: head,
          message: 'More replicas for the sale',
        }),
      }),
    ]);
  });

  it.each([
    ['replicas: 0', { replicas: 0 }, /^settings\.replicas: /],
    [
      'an unknown rollout strategy',
      {
        rollout: { ...PROJECT_SETTINGS.rollout, strategy: 'blue-green' },
      },
      /^settings\.rollout\.strategy: /,
    ],
    [
      'a 7th region',
      {
        regions: [
          'eu-west-1',
          'eu-west-2',
          'eu-west-3',
          'eu-central-1',
          'us-east-1',
          'us-east-2',
          'us-west-1',
        ],
      },
      /^settings\.regions: /,
    ],
  ])(
    '400 naming the field for %s, nothing written',
    async (_, bad, message) => {
      const server = await startBackend();
      await request(server).get(`${ORDERS}/settings`);

      const res = await request(server)
        .put(`${ORDERS}/settings`)
        .set('Authorization', ALICE)
        .send(change({ settings: { ...PROJECT_SETTINGS, ...bad } }));

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(commitCount()).toBe(1);
    },
  );

  it('400 for a missing message or baseVersion', async () => {
    const server = await startBackend();
    for (const [body, field] of [
      [change({ message: '  ' }), 'message'],
      [change({ baseVersion: undefined }), 'baseVersion'],
    ] as const) {
      const res = await request(server)
        .put(`${ORDERS}/settings`)
        .set('Authorization', ALICE)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('413 for a body over the size limit', async () => {
    const server = await startBackend();
    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change({ message: 'x'.repeat(100 * 1024) }));
    expect(res.status).toBe(413);
    expect(commitCount()).toBe(1);
  });

  it('409 when baseVersion is not the latest; nothing written', async () => {
    const server = await startBackend();
    await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change())
      .expect(201);

    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change({ settings: { ...PROJECT_SETTINGS, memoryMiB: 1024 } }));

    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/baseVersion 1 is not the latest/);
    expect(commitCount()).toBe(2);
  });

  it('audits a failed commit without git’s words or the repository’s path', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);
    // The default branch is gone: git fails naming the repository's directory
    project.git('symbolic-ref', 'HEAD', 'refs/heads/gone');

    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change());

    expect(res.status).toBe(500);
    const [event] = await auditTrail();
    expect(event).toMatchObject({
      action: 'settings.changed',
      outcome: 'failed',
      summary:
        'settings.changed failed: unexpected error (see the backend log)',
    });
    expect(JSON.stringify(event)).not.toContain(project.directory);
  });

  it('of two concurrent writers from the same version one wins, the other gets 409', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);

    const responses = await Promise.all(
      [3, 4].map(replicas =>
        request(server)
          .put(`${ORDERS}/settings`)
          .set('Authorization', ALICE)
          .send(change({ settings: { ...PROJECT_SETTINGS, replicas } })),
      ),
    );

    expect(responses.map(r => r.status).sort()).toEqual([201, 409]);
    const winner = responses.find(r => r.status === 201)!;
    expect(commitCount()).toBe(2);
    expect(project.git('rev-parse', 'main').trim()).toBe(
      winner.body.version.commitSha,
    );
    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.body.items.map((v: any) => v.settings.replicas)).toEqual([
      winner.body.version.settings.replicas,
      2,
    ]);
  });

  it('403 naming the action without deployments.settings.update, and audits the denial', async () => {
    const server = await startBackend(permission =>
      permission === 'deployments.settings.update'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    await request(server).get(`${ORDERS}/settings`).expect(200);

    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change());

    expect(res.status).toBe(403);
    expect(res.body.error).toEqual(
      expect.objectContaining({
        name: 'NotAllowedError',
        message: 'Not allowed: deployments.settings.update',
      }),
    );
    expect(commitCount()).toBe(1);
    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'settings.changed',
        outcome: 'denied',
        actor: 'user:default/alice',
        entityRef: PROJECT_REF,
        owner: 'group:default/checkout',
        costCenter: 'CC-1001',
      }),
    ]);
  });

  it('401 without credentials, 403 for a service: writes are made by users', async () => {
    const server = await startBackend();
    for (const [header, status] of [
      [mockCredentials.none.header(), 401],
      [mockCredentials.service.header(), 403],
    ] as const) {
      for (const call of [
        request(server).put(`${ORDERS}/settings`).send(change()),
        request(server).post(`${ORDERS}/deactivate`),
        request(server).post(`${ORDERS}/reactivate`),
      ]) {
        const res = await call.set('Authorization', header);
        expect(res.status).toBe(status);
      }
    }
    expect(commitCount()).toBe(1);
  });

  it('a commit pushed to the repository becomes a version with its author and message', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);

    const sha = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('memoryMiB: 512', 'memoryMiB: 2048'),
      'Give it more memory',
    );
    await sync();

    const res = await request(server).get(`${ORDERS}/settings`);
    expect(res.body).toEqual(
      expect.objectContaining({
        version: 2,
        settings: { ...PROJECT_SETTINGS, memoryMiB: 2048 },
        source: 'repository',
        createdBy: 'user:default/bob',
        commitSha: sha,
        message: 'Give it more memory',
      }),
    );
    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'settings.changed',
        outcome: 'succeeded',
        actor: 'user:default/bob',
        details: expect.objectContaining({
          source: 'repository',
          commitSha: sha,
        }),
      }),
    ]);
  });

  it('a commit the portal made but did not store is repaired as the portal user’s version', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);

    // What a portal write leaves behind when storing fails after its commit.
    const sha = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 6 #'),
      'Scale up\n\nPaved-Road-Actor: user:default/alice',
      'alice Person <alice@example.com>',
    );
    const res = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change());
    // The repository is ahead of version 1: no blind overwrite.
    expect(res.status).toBe(409);

    await sync();
    const latest = await request(server).get(`${ORDERS}/settings`);
    expect(latest.body).toEqual(
      expect.objectContaining({
        version: 2,
        source: 'portal',
        createdBy: 'user:default/alice',
        commitSha: sha,
        message: 'Scale up',
      }),
    );
  });

  describe('first sight of a project with history', () => {
    const withReplicas = (n: number) =>
      DESCRIPTOR.replace('replicas: 2 #', `replicas: ${n} #`);

    it('stores one version per commit, oldest first, skipping an invalid file in between', async () => {
      const invalid = project.pushChange(
        'deploy/paved-road.yaml',
        withReplicas(0),
        'Scale to zero',
      );
      const head = project.pushChange(
        'deploy/paved-road.yaml',
        withReplicas(3),
        'Three replicas for the sale',
      );
      const server = await startBackend();

      const res = await request(server).get(`${ORDERS}/settings`);
      expect(res.status).toBe(200);
      const versions = await request(server).get(`${ORDERS}/settings/versions`);
      expect(versions.body.items).toEqual([
        expect.objectContaining({
          version: 2,
          settings: { ...PROJECT_SETTINGS, replicas: 3 },
          source: 'repository',
          createdBy: 'user:default/bob',
          commitSha: head,
          message: 'Three replicas for the sale',
        }),
        expect.objectContaining({
          version: 1,
          settings: PROJECT_SETTINGS,
          source: 'template',
          createdBy: 'user:default/guest',
          commitSha: project.initialCommit,
        }),
      ]);
      expect(JSON.stringify(versions.body)).not.toContain(invalid);
      const state = await request(server).get(`${ORDERS}/project`);
      expect(state.body.settingsError).toBeNull();

      // Only the head is audited, as a new commit would be: the rest is
      // history from before the portal saw the project.
      const trail = await auditTrail();
      expect(trail).toEqual([
        expect.objectContaining({
          action: 'settings.changed',
          actor: 'user:default/bob',
          entityRef: PROJECT_REF,
          details: expect.objectContaining({
            before: PROJECT_SETTINGS,
            after: { ...PROJECT_SETTINGS, replicas: 3 },
            commitSha: head,
            version: 2,
            source: 'repository',
          }),
        }),
      ]);

      // A second pass stores nothing more
      await sync();
      const again = await request(server).get(`${ORDERS}/settings/versions`);
      expect(again.body.items).toHaveLength(2);
    });

    it('lets the newest commit decide the settings error, and audits no backfilled version', async () => {
      const valid = project.pushChange(
        'deploy/paved-road.yaml',
        withReplicas(3),
        'Three replicas',
      );
      const head = project.pushChange(
        'deploy/paved-road.yaml',
        withReplicas(0),
        'Scale to zero',
      );
      const server = await startBackend();
      await sync();

      const latest = await request(server).get(`${ORDERS}/settings`);
      expect(latest.body).toMatchObject({
        version: 2,
        commitSha: valid,
        settings: { ...PROJECT_SETTINGS, replicas: 3 },
      });
      const state = await request(server).get(`${ORDERS}/project`);
      expect(state.body.settingsError).toEqual({
        message: expect.stringMatching(
          new RegExp(
            `^deploy/paved-road\\.yaml at ${head.slice(
              0,
              12,
            )}: spec\\.replicas: `,
          ),
        ),
        commitSha: head,
        detectedAt: expect.any(String),
      });
      expect(await auditTrail()).toEqual([]);
    });
  });

  it('an invalid descriptor in the repository is reported on the project, not stored', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);

    const sha = project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 0 #'),
      'Scale to zero',
    );
    await sync();

    const state = await request(server).get(`${ORDERS}/project`);
    expect(state.status).toBe(200);
    expect(state.body).toEqual({
      entityRef: PROJECT_REF,
      repoUrl: `${LOCAL_GIT_BASE_URL}/orders-kt.git`,
      deactivated: false,
      deactivatedBy: null,
      deactivatedAt: null,
      settingsError: {
        message: expect.stringMatching(
          /^deploy\/paved-road\.yaml at [0-9a-f]{12}: spec\.replicas: /,
        ),
        commitSha: sha,
        detectedAt: expect.any(String),
      },
    });
    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.body.items).toHaveLength(1);

    // Listed for the hygiene list, which asks as the paved-road plugin
    const listed = await request(server)
      .get('/api/deployments/settings-errors')
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:paved-road'),
          targetPluginId: 'deployments',
        }),
      );
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      items: [{ entityRef: PROJECT_REF, ...state.body.settingsError }],
    });
    const anonymous = await request(server)
      .get('/api/deployments/settings-errors')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    // Fixed in the repository: the error clears and the version arrives.
    project.pushChange(
      'deploy/paved-road.yaml',
      DESCRIPTOR.replace('replicas: 2 #', 'replicas: 1 #'),
      'Scale to one',
    );
    await sync();
    const fixed = await request(server).get(`${ORDERS}/project`);
    expect(fixed.body.settingsError).toBeNull();
    const cleared = await request(server)
      .get('/api/deployments/settings-errors')
      .set('Authorization', ALICE);
    expect(cleared.body).toEqual({ items: [] });
    const latest = await request(server).get(`${ORDERS}/settings`);
    expect(latest.body.settings.replicas).toBe(1);
  });

  it('deactivates once (idempotent), refuses settings changes, and reactivates', async () => {
    const server = await startBackend();
    await request(server).get(`${ORDERS}/settings`).expect(200);

    const first = await request(server)
      .post(`${ORDERS}/deactivate`)
      .set('Authorization', ALICE);
    const second = await request(server)
      .post(`${ORDERS}/deactivate`)
      .set('Authorization', ALICE);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body).toEqual({
      entityRef: PROJECT_REF,
      repoUrl: `${LOCAL_GIT_BASE_URL}/orders-kt.git`,
      deactivated: true,
      deactivatedBy: 'user:default/alice',
      deactivatedAt: expect.any(String),
      settingsError: null,
    });
    expect(second.body).toEqual(first.body);
    expect(commitCount()).toBe(2);
    const catalogInfo = project.git('show', 'main:catalog-info.yaml');
    expect(catalogInfo).toContain('  lifecycle: deprecated\n');
    expect(catalogInfo).toContain(
      '    paved-road.io/deactivated-by: user:default/alice\n',
    );
    expect(project.git('diff', '--name-only', 'main~1', 'main').trim()).toBe(
      'catalog-info.yaml',
    );

    const refused = await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change());
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/is deactivated/);

    const reactivated = await request(server)
      .post(`${ORDERS}/reactivate`)
      .set('Authorization', ALICE);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({
      deactivated: false,
      deactivatedBy: null,
      deactivatedAt: null,
    });
    expect(project.git('show', 'main:catalog-info.yaml')).toBe(
      project.git('show', `${project.initialCommit}:catalog-info.yaml`),
    );
    await request(server)
      .put(`${ORDERS}/settings`)
      .set('Authorization', ALICE)
      .send(change())
      .expect(201);

    const trail = await auditTrail();
    expect(trail.map(e => `${e.action} ${e.outcome}`)).toEqual([
      'project.deactivated succeeded',
      'settings.changed failed',
      'project.reactivated succeeded',
      'settings.changed succeeded',
    ]);
    expect(trail[0]).toMatchObject({
      owner: 'group:default/checkout',
      businessUnit: 'group:default/commerce',
      costCenter: 'CC-1001',
    });
  });

  it('403 for deactivate without deployments.project.deactivate', async () => {
    const server = await startBackend(permission =>
      permission === 'deployments.project.deactivate'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );

    const res = await request(server)
      .post(`${ORDERS}/deactivate`)
      .set('Authorization', ALICE);

    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Not allowed: deployments.project.deactivate',
    );
    expect(commitCount()).toBe(1);
    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'project.deactivated',
        outcome: 'denied',
      }),
    ]);
  });

  it('404 for the project state of an entity the catalog does not have', async () => {
    const server = await startBackend();
    const res = await request(server).get(
      '/api/deployments/entities/default/component/unknown/project',
    );
    expect(res.status).toBe(404);
  });
});
