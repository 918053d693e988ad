import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import type {
  Deployment,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  previewEnvironment,
  productionEnvironment,
} from '../__testUtils__/fixtures';
import { DeploymentsClient } from './DeploymentsClient';

const BASE = 'http://example.com/api/deployments';
const ORDERS = {
  kind: 'Component',
  namespace: 'default',
  name: 'orders-service',
};
const ORDERS_URL = `${BASE}/entities/default/Component/orders-service`;

const deployment: Deployment = {
  id: 'd1',
  entityRef: 'component:default/orders-service',
  environment: 'production',
  version: '1.4.2',
  status: 'succeeded',
  strategy: 'canary',
  triggeredBy: 'user:default/alice',
  startedAt: '2026-01-10T10:00:00.000Z',
  finishedAt: '2026-01-10T10:07:00.000Z',
};

const settings: DeploymentSettingsVersion = {
  entityRef: 'component:default/orders-service',
  version: 2,
  settings: DEFAULT_DEPLOYMENT_SETTINGS,
  createdBy: 'user:default/bob',
  createdAt: '2026-01-05T12:00:00.000Z',
  source: 'portal',
  commitSha: 'a1b2c3d4e5f6',
  commitUrl: null,
  message: 'More memory for the January peak',
};

// Shapes of the backend's error responses (@backstage/errors serialisation).
function errorResponse(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, request: {}, response: { statusCode: status } },
    { status },
  );
}

describe('DeploymentsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new DeploymentsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('lists deployments from the entity path, passing limit', async () => {
    const requests: URL[] = [];
    server.use(
      http.get(`${ORDERS_URL}/deployments`, ({ request }) => {
        requests.push(new URL(request.url));
        return HttpResponse.json({ items: [deployment] });
      }),
    );

    await expect(client.listDeployments(ORDERS)).resolves.toEqual([deployment]);
    await expect(client.listDeployments(ORDERS, { limit: 5 })).resolves.toEqual(
      [deployment],
    );

    expect(requests.map(u => u.searchParams.get('limit'))).toEqual([null, '5']);
  });

  it('encodes each part of the entity ref', async () => {
    let path = '';
    server.use(
      http.get(`${BASE}/entities/*`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ items: [] });
      }),
    );

    await client.listSettingsVersions({
      kind: 'Component',
      namespace: 'default',
      name: 'a/b',
    });

    expect(path).toBe(
      '/api/deployments/entities/default/Component/a%2Fb/settings/versions',
    );
  });

  it('returns the latest settings, or undefined on 404', async () => {
    server.use(
      http.get(`${ORDERS_URL}/settings`, () => HttpResponse.json(settings)),
    );
    await expect(client.getLatestSettings(ORDERS)).resolves.toEqual(settings);

    server.use(
      http.get(`${ORDERS_URL}/settings`, () =>
        errorResponse(404, 'NotFoundError', 'No deployment settings'),
      ),
    );
    await expect(client.getLatestSettings(ORDERS)).resolves.toBeUndefined();
  });

  it('lists settings versions', async () => {
    server.use(
      http.get(`${ORDERS_URL}/settings/versions`, () =>
        HttpResponse.json({ items: [settings] }),
      ),
    );
    await expect(client.listSettingsVersions(ORDERS)).resolves.toEqual([
      settings,
    ]);
  });

  it('puts a settings change as JSON and returns the new version', async () => {
    let received: { method: string; type: string | null; body: unknown } = {
      method: '',
      type: null,
      body: undefined,
    };
    server.use(
      http.put(`${ORDERS_URL}/settings`, async ({ request }) => {
        received = {
          method: request.method,
          type: request.headers.get('content-type'),
          body: await request.json(),
        };
        return HttpResponse.json(
          { mode: 'commit', version: settings },
          { status: 201 },
        );
      }),
    );
    const change = {
      settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, replicas: 3 },
      baseVersion: 1,
      message: 'More replicas',
    };

    await expect(client.updateSettings(ORDERS, change)).resolves.toEqual({
      mode: 'commit',
      version: settings,
    });
    expect(received).toEqual({
      method: 'PUT',
      type: 'application/json',
      body: change,
    });
  });

  it('returns the pull request when the backend opens one (202)', async () => {
    server.use(
      http.put(`${ORDERS_URL}/settings`, () =>
        HttpResponse.json(
          {
            mode: 'pull-request',
            pullRequestUrl: 'https://github.com/acme/orders/pull/7',
            baseVersion: 2,
          },
          { status: 202 },
        ),
      ),
    );

    await expect(
      client.updateSettings(ORDERS, {
        settings: DEFAULT_DEPLOYMENT_SETTINGS,
        baseVersion: 2,
        message: 'why',
      }),
    ).resolves.toEqual({
      mode: 'pull-request',
      pullRequestUrl: 'https://github.com/acme/orders/pull/7',
      baseVersion: 2,
    });
  });

  it('rejects a stale settings change with the backend 409', async () => {
    server.use(
      http.put(`${ORDERS_URL}/settings`, () =>
        errorResponse(409, 'ConflictError', 'Version 3 is not the latest (4)'),
      ),
    );

    const error = await client
      .updateSettings(ORDERS, {
        settings: DEFAULT_DEPLOYMENT_SETTINGS,
        baseVersion: 3,
        message: 'why',
      })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('Version 3 is not the latest (4)');
  });

  it('reads the SLOs of the entity, and rejects with the backend 403', async () => {
    const body = {
      slos: [],
      problems: [
        {
          document: 1,
          field: 'spec.budgetingMethod',
          message: 'Invalid option',
        },
      ],
      file: 'deploy/slo.yaml',
      found: true,
    };
    server.use(
      http.get(`${ORDERS_URL}/slos`, () => HttpResponse.json(body)),
      http.get(`${BASE}/entities/default/Component/secret/slos`, () =>
        errorResponse(
          403,
          'NotAllowedError',
          'Not allowed: catalog.entity.read',
        ),
      ),
    );

    await expect(client.getServiceLevelObjectives(ORDERS)).resolves.toEqual(
      body,
    );
    const refused = client.getServiceLevelObjectives({
      ...ORDERS,
      name: 'secret',
    });
    await expect(refused).rejects.toBeInstanceOf(ResponseError);
    await expect(refused).rejects.toMatchObject({
      body: { error: { message: 'Not allowed: catalog.entity.read' } },
    });
  });

  it('reads the project state, or undefined on 404', async () => {
    const project = {
      entityRef: 'component:default/orders-service',
      repoUrl: 'https://github.com/acme/orders-service',
      deactivated: false,
      deactivatedBy: null,
      deactivatedAt: null,
    };
    server.use(
      http.get(`${ORDERS_URL}/project`, () => HttpResponse.json(project)),
    );
    await expect(client.getProject(ORDERS)).resolves.toEqual(project);

    server.use(
      http.get(`${ORDERS_URL}/project`, () =>
        errorResponse(404, 'NotFoundError', 'No such project'),
      ),
    );
    await expect(client.getProject(ORDERS)).resolves.toBeUndefined();
  });

  it.each(['deactivate', 'reactivate'] as const)(
    '%s posts to the project',
    async method => {
      const posted: string[] = [];
      server.use(
        http.post(`${ORDERS_URL}/${method}`, ({ request }) => {
          posted.push(new URL(request.url).pathname);
          return HttpResponse.json({});
        }),
      );

      await client[method](ORDERS);

      expect(posted).toEqual([
        `/api/deployments/entities/default/Component/orders-service/${method}`,
      ]);
    },
  );

  it('surfaces a refused deactivation', async () => {
    server.use(
      http.post(`${ORDERS_URL}/deactivate`, () =>
        errorResponse(403, 'NotAllowedError', 'Not allowed to deactivate'),
      ),
    );

    const error = await client.deactivate(ORDERS).catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });

  it('reads the creation record from the paved-road backend, or undefined on 404', async () => {
    const record = {
      entityRef: 'component:default/orders-service',
      createdBy: 'user:default/alice',
      createdAt: '2026-01-02T09:00:00.000Z',
      templateRef: 'template:default/kotlin-service',
      templateVersion: '1.2.0',
      repoUrl: 'https://github.com/acme/orders-service',
      taskId: 'task-1',
    };
    const url =
      'http://example.com/api/paved-road/projects/default/Component/orders-service';
    server.use(http.get(url, () => HttpResponse.json(record)));
    await expect(client.getCreationRecord(ORDERS)).resolves.toEqual(record);

    server.use(
      http.get(url, () => errorResponse(404, 'NotFoundError', 'No record')),
    );
    await expect(client.getCreationRecord(ORDERS)).resolves.toBeUndefined();
  });

  it('asks the costs backend for the monthly estimate of settings', async () => {
    const url = 'http://example.com/api/costs/estimate';
    let body: unknown;
    server.use(
      http.post(url, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({
          currency: 'EUR',
          month: '2026-11',
          hoursInMonth: 720,
          monthlyTotal: 32.4,
          lines: [],
        });
      }),
    );

    await expect(
      client.estimateMonthlyCost(DEFAULT_DEPLOYMENT_SETTINGS),
    ).resolves.toEqual({ currency: 'EUR', monthlyTotal: 32.4 });
    expect(body).toEqual({ settings: DEFAULT_DEPLOYMENT_SETTINGS });

    // No costs backend in the app
    server.use(
      http.post(url, () => errorResponse(404, 'NotFoundError', 'Not found')),
    );
    await expect(
      client.estimateMonthlyCost(DEFAULT_DEPLOYMENT_SETTINGS),
    ).resolves.toBeUndefined();

    server.use(
      http.post(url, () =>
        errorResponse(400, 'InputError', 'settings.replicas: too big'),
      ),
    );
    await expect(
      client.estimateMonthlyCost(DEFAULT_DEPLOYMENT_SETTINGS),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  describe('deployments', () => {
    const details = {
      ...deployment,
      id: 'run-1',
      status: 'pending',
      source: 'portal',
      kind: 'deploy',
      ref: 'main',
      commitSha: 'c0ffee00',
      committedAt: '2026-01-10T09:00:00.000Z',
      previousCommitSha: null,
      settingsVersion: 1,
      settings: DEFAULT_DEPLOYMENT_SETTINGS,
      reason: null,
      attempts: 0,
      cancelRequestedBy: null,
      cancelRequestedAt: null,
      stages: [],
    };

    it('starts a deployment with a JSON post and returns the 202 body', async () => {
      let received: unknown;
      server.use(
        http.post(`${ORDERS_URL}/deployments`, async ({ request }) => {
          received = {
            type: request.headers.get('content-type'),
            body: await request.json(),
          };
          return HttpResponse.json(details, { status: 202 });
        }),
      );

      await expect(
        client.createDeployment(ORDERS, {
          ref: 'main',
          environment: 'production',
        }),
      ).resolves.toEqual(details);
      expect(received).toEqual({
        type: 'application/json',
        body: { ref: 'main', environment: 'production' },
      });
    });

    it('rejects a second deployment with the backend 409 message', async () => {
      server.use(
        http.post(`${ORDERS_URL}/deployments`, () =>
          errorResponse(
            409,
            'ConflictError',
            'A deployment of component:default/orders-service to production is in-progress (run-0)',
          ),
        ),
      );

      const error = await client.createDeployment(ORDERS, {}).catch(e => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toMatch(/is in-progress/);
    });

    it('posts a rollback, with an empty body by default', async () => {
      const bodies: unknown[] = [];
      server.use(
        http.post(`${ORDERS_URL}/rollback`, async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json(
            { ...details, kind: 'rollback' },
            { status: 202 },
          );
        }),
      );

      await expect(client.rollback(ORDERS)).resolves.toMatchObject({
        kind: 'rollback',
      });
      await client.rollback(ORDERS, { environment: 'staging' });
      expect(bodies).toEqual([{}, { environment: 'staging' }]);
    });

    it('reads a deployment, its log by cursor, and cancels it', async () => {
      const after: (string | null)[] = [];
      let cancelled = '';
      server.use(
        http.get(`${BASE}/deployments/run-1`, () => HttpResponse.json(details)),
        http.get(`${BASE}/deployments/run-1/events`, ({ request }) => {
          after.push(new URL(request.url).searchParams.get('after'));
          return HttpResponse.json({
            items: [{ seq: 3, at: '2026-01-10T10:00:01.000Z', line: 'built' }],
            cursor: '3',
            finished: false,
            status: 'in-progress',
          });
        }),
        http.post(`${BASE}/deployments/run-1/cancel`, ({ request }) => {
          cancelled = new URL(request.url).pathname;
          return HttpResponse.json(details, { status: 202 });
        }),
      );

      await expect(client.getDeployment('run-1')).resolves.toEqual(details);
      await expect(
        client.getDeploymentEvents('run-1', { after: '2' }),
      ).resolves.toMatchObject({ cursor: '3', items: [{ line: 'built' }] });
      await client.getDeploymentEvents('run-1');
      expect(after).toEqual(['2', null]);
      await client.cancelDeployment('run-1');
      expect(cancelled).toBe('/api/deployments/deployments/run-1/cancel');
    });

    it('encodes a deployment id', async () => {
      let path = '';
      server.use(
        http.get(`${BASE}/deployments/*`, ({ request }) => {
          path = new URL(request.url).pathname;
          return HttpResponse.json(details);
        }),
      );

      await client.getDeployment('a/../b');

      expect(path).toBe('/api/deployments/deployments/a%2F..%2Fb');
    });

    it('reads the runtime and the DORA figures with their query', async () => {
      const urls: URL[] = [];
      const runtime = {
        entityRef: 'component:default/orders-service',
        environment: 'production',
        provider: 'local',
        url: null,
        instances: [],
        desiredReplicas: null,
      };
      server.use(
        http.get(`${ORDERS_URL}/runtime`, ({ request }) => {
          urls.push(new URL(request.url));
          return HttpResponse.json(runtime);
        }),
        http.get(`${ORDERS_URL}/dora`, ({ request }) => {
          urls.push(new URL(request.url));
          return HttpResponse.json({ days: 30 });
        }),
      );

      await expect(client.getRuntime(ORDERS)).resolves.toEqual(runtime);
      await client.getRuntime(ORDERS, { environment: 'staging' });
      await expect(
        client.getDoraMetrics(ORDERS, { days: 30 }),
      ).resolves.toEqual({ days: 30 });

      expect(
        urls.map(u => `${u.pathname.split('/').pop()}${u.search}`),
      ).toEqual(['runtime', 'runtime?environment=staging', 'dora?days=30']);
    });
  });

  describe('environments', () => {
    it('lists the environments of the entity', async () => {
      const items = [productionEnvironment, previewEnvironment()];
      server.use(
        http.get(`${ORDERS_URL}/environments`, () =>
          HttpResponse.json({ items }),
        ),
      );

      await expect(client.listEnvironments(ORDERS)).resolves.toEqual(items);
    });

    it.each([
      ['200 with a body', () => HttpResponse.json({ torn: true })],
      ['204', () => new HttpResponse(null, { status: 204 })],
    ])(
      'tears a preview down with a DELETE of its encoded name (%s)',
      async (_status, answer) => {
        const deleted: string[] = [];
        server.use(
          http.delete(`${ORDERS_URL}/environments/*`, ({ request }) => {
            deleted.push(new URL(request.url).pathname);
            return answer();
          }),
        );

        await expect(
          client.teardownEnvironment(ORDERS, 'preview-a/b'),
        ).resolves.toBeUndefined();

        expect(deleted).toEqual([
          '/api/deployments/entities/default/Component/orders-service/environments/preview-a%2Fb',
        ]);
      },
    );

    it.each([
      [403, 'NotAllowedError', 'Not allowed: deployments.deployment.create'],
      [404, 'NotFoundError', 'No preview environment preview-gone'],
      [
        409,
        'ConflictError',
        'A deployment to preview-gone is in-progress (run-3)',
      ],
    ] as const)(
      'rejects a refused teardown with the backend %s',
      async (status, name, message) => {
        server.use(
          http.delete(`${ORDERS_URL}/environments/preview-gone`, () =>
            errorResponse(status, name, message),
          ),
        );

        const error = await client
          .teardownEnvironment(ORDERS, 'preview-gone')
          .catch(e => e);

        expect(error).toBeInstanceOf(ResponseError);
        expect(error.statusCode).toBe(status);
        expect(error.body.error).toEqual({ name, message });
      },
    );
  });

  it.each([
    ['listDeployments', '/deployments', 400, 'InputError'],
    ['getLatestSettings', '/settings', 500, 'Error'],
    ['listSettingsVersions', '/settings/versions', 401, 'AuthenticationError'],
    ['getProject', '/project', 500, 'Error'],
    ['listEnvironments', '/environments', 500, 'Error'],
  ] as const)(
    '%s throws a ResponseError carrying the backend error',
    async (method, suffix, status, name) => {
      server.use(
        http.get(`${ORDERS_URL}${suffix}`, () =>
          errorResponse(status, name, 'it broke'),
        ),
      );

      const error = await client[method](ORDERS).catch(e => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.body.error).toEqual({ name, message: 'it broke' });
    },
  );
});
