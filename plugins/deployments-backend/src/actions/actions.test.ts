import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import {
  createLocalGitProject,
  PROJECT_REF,
  PROJECT_SETTINGS,
} from '../__testUtils__/localGitProject';
import { ScriptedProvider } from '../__testUtils__/ScriptedProvider';
import { providerModule, testServices } from '../__testUtils__/testServices';
import { deploymentsPlugin } from '../plugin';

jest.setTimeout(60_000);

// alice is in the owning team (the permission policy allows her), bob in
// another team (denied).
const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');

describe('deployments actions', () => {
  let project: Awaited<ReturnType<typeof createLocalGitProject>>;
  let provider: ScriptedProvider;
  let tasks: Map<string, () => Promise<void>>;
  let events: AuditEventInput[];
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeEach(async () => {
    project = await createLocalGitProject();
    provider = new ScriptedProvider('scripted');
    tasks = new Map();
    events = [];
    ({ server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        providerModule(provider),
        ...testServices({
          directory: project.directory,
          deployments: {
            provider: 'scripted',
            environments: ['production', 'staging'],
            runner: { pollInterval: { milliseconds: 50 } },
          },
          users: ['guest', 'alice', 'bob'],
          // alice is in the owning team, bob in another.
          decide: (_permission, credentials) =>
            (credentials.principal as { userEntityRef?: string })
              .userEntityRef === 'user:default/alice'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          tasks,
          events,
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({ publish: async () => {} }),
        }),
      ],
    }));
  });
  afterEach(() => project.cleanup());

  /** Through the actions registry's own endpoint, as mcp-actions calls it. */
  const invoke = (name: string, input: object, as = ALICE) =>
    request(server)
      .post(
        `/api/deployments/.backstage/actions/v2/actions/deployments:${name}/invoke`,
      )
      .set('Authorization', as)
      .send({ input });

  const commitCount = () => Number(project.git('rev-list', '--count', 'main'));
  const auditTrail = async () => {
    await tasks.get('deployments-audit-outbox')!();
    return events;
  };

  it('lists the actions with their input and output schemas', async () => {
    const res = await request(server)
      .get('/api/deployments/.backstage/actions/v1/actions')
      .set('Authorization', ALICE);

    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.actions.map((a: any) => [a.name, a]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'deploy-project',
      'get-deployment',
      'get-deployment-settings',
      'get-service-level-objectives',
      'rollback-deployment',
      'update-deployment-settings',
    ]);
    expect(byName['get-deployment-settings'].attributes).toEqual({
      readOnly: true,
      destructive: false,
      idempotent: true,
    });
    expect(byName['update-deployment-settings'].attributes.readOnly).toBe(
      false,
    );
    expect(
      byName['update-deployment-settings'].schema.input.properties.settings
        .properties.replicas,
    ).toEqual({ type: 'integer', description: 'Number of instances, 1 to 50' });
    expect(byName['deploy-project'].schema.input.required).toEqual([
      'entityRef',
    ]);
  });

  it('get-deployment-settings returns the current version', async () => {
    const res = await invoke('get-deployment-settings', {
      entityRef: 'orders-kt',
    });

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: PROJECT_REF,
      version: 1,
      settings: PROJECT_SETTINGS,
      createdBy: 'user:default/guest',
      createdAt: expect.any(String),
      source: 'template',
      commitSha: project.initialCommit,
      commitUrl: expect.stringContaining(project.initialCommit),
      message: 'Initial commit',
    });
  });

  it('update-deployment-settings lets the owner change one setting, keeping the others, committed and audited as her', async () => {
    const res = await invoke('update-deployment-settings', {
      entityRef: PROJECT_REF,
      settings: { replicas: 3 },
      message: 'More replicas for the sale',
      baseVersion: 1,
    });

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      mode: 'commit',
      version: expect.objectContaining({
        version: 2,
        settings: { ...PROJECT_SETTINGS, replicas: 3 },
        createdBy: 'user:default/alice',
        source: 'portal',
        message: 'More replicas for the sale',
      }),
      pullRequestUrl: null,
    });
    expect(commitCount()).toBe(2);
    expect(project.git('log', '-1', '--format=%an|%s', 'main').trim()).toBe(
      'alice Person|More replicas for the sale',
    );
    expect(await auditTrail()).toEqual([
      expect.objectContaining({
        action: 'settings.changed',
        outcome: 'succeeded',
        actor: 'user:default/alice',
        summary: 'replicas 2 → 3: More replicas for the sale',
      }),
    ]);
  });

  it('update-deployment-settings refuses another team (NotAllowedError), writes nothing and audits the denial', async () => {
    const res = await invoke(
      'update-deployment-settings',
      {
        entityRef: PROJECT_REF,
        settings: { replicas: 3 },
        message: 'Mine now',
      },
      BOB,
    );

    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed: deployments.settings.update',
    });
    expect(commitCount()).toBe(1);
    expect(await auditTrail()).toEqual([
      expect.objectContaining({ outcome: 'denied', actor: 'user:default/bob' }),
    ]);
  });

  it('update-deployment-settings answers InputError naming the field and writes nothing', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ settings: { replicas: 0 }, message: 'x' }, /^settings\.replicas: /],
      [
        { settings: { rollout: { canaryPercent: 90 } }, message: 'x' },
        /^settings\.rollout\.canaryPercent: /,
      ],
      [
        { settings: { regions: ['mars'] }, message: 'x' },
        /^settings\.regions\.0: region like eu-west-1/,
      ],
      [{ settings: { replicas: 3 }, message: '  ' }, /^message: /],
      [{ settings: { replicas: 2 }, message: 'x' }, /^settings: no change/],
    ];
    for (const [input, message] of cases) {
      const res = await invoke('update-deployment-settings', {
        entityRef: PROJECT_REF,
        ...input,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
    const badRef = await invoke('update-deployment-settings', {
      entityRef: 'component:',
      settings: { replicas: 3 },
      message: 'x',
    });
    expect(badRef.body.error.message).toMatch(/^entityRef: /);
    expect(commitCount()).toBe(1);
  });

  it('update-deployment-settings answers ConflictError for a stale baseVersion', async () => {
    await invoke('update-deployment-settings', {
      entityRef: PROJECT_REF,
      settings: { replicas: 3 },
      message: 'First',
    });
    const res = await invoke('update-deployment-settings', {
      entityRef: PROJECT_REF,
      settings: { replicas: 4 },
      message: 'Second, against version 1',
      baseVersion: 1,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
    expect(commitCount()).toBe(2);
  });

  it('deploy-project lets the owner deploy; get-deployment follows it to succeeded with its stages', async () => {
    const res = await invoke('deploy-project', { entityRef: PROJECT_REF });

    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      entityRef: PROJECT_REF,
      environment: 'production',
      kind: 'deploy',
      status: 'pending',
      ref: 'main',
      commitSha: project.initialCommit,
      triggeredBy: 'user:default/alice',
    });

    let deployment: any;
    for (let i = 0; i < 200; i++) {
      deployment = (
        await invoke('get-deployment', { deploymentId: res.body.output.id })
      ).body.output;
      if (deployment.finishedAt) break;
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    expect(deployment).toMatchObject({
      status: 'succeeded',
      stages: [
        expect.objectContaining({ name: 'build', status: 'succeeded' }),
        expect.objectContaining({ name: 'canary', status: 'succeeded' }),
        expect.objectContaining({ name: 'promote', status: 'succeeded' }),
      ],
    });
    expect(deployment).toHaveProperty('serviceUrl');
  });

  it('deploy-project refuses another team (NotAllowedError) and queues nothing', async () => {
    const res = await invoke('deploy-project', { entityRef: PROJECT_REF }, BOB);

    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(provider.calls).toEqual([]);
  });

  it('deploy-project answers InputError naming the field for a bad ref or environment', async () => {
    const badRef = await invoke('deploy-project', {
      entityRef: PROJECT_REF,
      ref: '--upload-pack=evil',
    });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(/^ref: /);

    const badEnvironment = await invoke('deploy-project', {
      entityRef: PROJECT_REF,
      environment: 'Prod!',
    });
    expect(badEnvironment.status).toBe(400);
    expect(badEnvironment.body.error.message).toMatch(/^environment: /);
    expect(provider.calls).toEqual([]);
  });

  it('get-deployment answers InputError for a malformed id and NotFoundError for an unknown one', async () => {
    const bad = await invoke('get-deployment', { deploymentId: '../x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('deploymentId must be a deployment id');

    const unknown = await invoke('get-deployment', {
      deploymentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.name).toBe('NotFoundError');
  });

  it('rollback-deployment answers ConflictError when there is nothing to roll back to', async () => {
    const res = await invoke('rollback-deployment', { entityRef: PROJECT_REF });
    expect(res.status).toBe(409);
    expect(res.body.error.name).toBe('ConflictError');
  });
});
