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

  it.each([
    ['listDeployments', '/deployments', 400, 'InputError'],
    ['getLatestSettings', '/settings', 500, 'Error'],
    ['listSettingsVersions', '/settings/versions', 401, 'AuthenticationError'],
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
