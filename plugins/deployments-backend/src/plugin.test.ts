import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { deploymentsPlugin } from './plugin';

const SAMPLE_YAML = `
services:
  - entityRef: component:default/orders-service
    settingsVersions:
      - version: 1
        createdBy: user:default/alice
        daysAgo: 30
        settings:
          cluster: eu-prod-1
          replicas: 3
          cpuMillicores: 500
          memoryMiB: 1024
          regions: [eu-west-1]
          rollout: { strategy: canary, canaryPercent: 10 }
      - version: 2
        createdBy: user:default/bob
        daysAgo: 5
        settings:
          cluster: eu-prod-1
          replicas: 4
          cpuMillicores: 750
          memoryMiB: 1536
          regions: [eu-west-1, eu-central-1]
          rollout: { strategy: canary, canaryPercent: 20 }
    deployments:
      - id: sample-orders-01
        version: 1.4.1
        environment: production
        status: succeeded
        strategy: canary
        triggeredBy: user:default/alice
        daysAgo: 10
        durationMinutes: 8
      - id: sample-orders-02
        version: 1.4.2
        environment: production
        status: failed
        strategy: canary
        triggeredBy: user:default/bob
        daysAgo: 3
        durationMinutes: 2
      - id: sample-orders-03
        version: 1.4.3
        environment: staging
        status: succeeded
        strategy: rolling
        triggeredBy: user:default/carol
        daysAgo: 1
        durationMinutes: 4
  - entityRef: component:default/fleet-tracker
    deployments:
      - id: sample-fleet-01
        version: 0.9.0
        environment: production
        status: succeeded
        strategy: rolling
        triggeredBy: user:default/dave
        daysAgo: 2
        durationMinutes: 6
`;

const ORDERS = '/api/deployments/entities/default/component/orders-service';

describe('deploymentsPlugin', () => {
  const mockDir = createMockDirectory();

  async function startBackend(yaml = SAMPLE_YAML) {
    mockDir.setContent({ 'deployments.yaml': yaml });
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            deployments: {
              sampleData: { file: mockDir.resolve('deployments.yaml') },
            },
          },
        }),
      ],
    });
    return server;
  }

  it('serves the sample history newest first', async () => {
    const server = await startBackend();

    const res = await request(server).get(`${ORDERS}/deployments`);

    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([
      'sample-orders-03',
      'sample-orders-02',
      'sample-orders-01',
    ]);
    expect(res.body.items[1]).toEqual({
      id: 'sample-orders-02',
      entityRef: 'component:default/orders-service',
      environment: 'production',
      version: '1.4.2',
      status: 'failed',
      strategy: 'canary',
      triggeredBy: 'user:default/bob',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      source: 'sample',
      commitSha: null,
      reason: null,
    });
    const { startedAt, finishedAt } = res.body.items[1];
    expect(Date.parse(finishedAt) - Date.parse(startedAt)).toBe(2 * 60_000);
  });

  it('matches path parameters case-insensitively and honours limit', async () => {
    const server = await startBackend();

    const res = await request(server)
      .get(
        '/api/deployments/entities/Default/Component/Orders-Service/deployments',
      )
      .query({ limit: 1 });

    expect(res.status).toBe(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([
      'sample-orders-03',
    ]);
  });

  it('serves the latest settings and all settings versions', async () => {
    const server = await startBackend();

    const latest = await request(server).get(`${ORDERS}/settings`);
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({
      entityRef: 'component:default/orders-service',
      version: 2,
      settings: {
        cluster: 'eu-prod-1',
        replicas: 4,
        cpuMillicores: 750,
        memoryMiB: 1536,
        regions: ['eu-west-1', 'eu-central-1'],
        rollout: {
          strategy: 'canary',
          canaryPercent: 20,
          healthCheckPath: '/actuator/health',
        },
      },
      createdBy: 'user:default/bob',
      createdAt: expect.any(String),
      source: 'sample',
      commitSha: null,
      commitUrl: null,
      message: null,
    });

    const versions = await request(server).get(`${ORDERS}/settings/versions`);
    expect(versions.status).toBe(200);
    expect(
      versions.body.items.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);
  });

  it('returns 404 for an entity without settings, empty lists otherwise', async () => {
    const server = await startBackend();
    const fleet = '/api/deployments/entities/default/component/fleet-tracker';

    const settings = await request(server).get(`${fleet}/settings`);
    expect(settings.status).toBe(404);
    expect(settings.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No deployment settings for component:default/fleet-tracker',
    });

    const versions = await request(server).get(`${fleet}/settings/versions`);
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual({ items: [] });

    const history = await request(server).get(
      '/api/deployments/entities/default/component/unknown/deployments',
    );
    expect(history.status).toBe(200);
    expect(history.body).toEqual({ items: [] });
  });

  it('lists the configured environments without a provider: nothing runs there, and sample history is no deployment', async () => {
    const server = await startBackend();

    const res = await request(server)
      .get(`${ORDERS}/environments`)
      .set('Authorization', mockCredentials.service.header());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          name: 'production',
          kind: 'standard',
          branch: null,
          url: null,
          instances: { total: 0, healthy: 0 },
          lastDeployment: null,
          createdBy: null,
          createdAt: expect.any(String),
          expiresAt: null,
        },
      ],
    });
  });

  it.each(['deployments', 'settings', 'settings/versions', 'environments'])(
    'requires credentials for /%s',
    async route => {
      const server = await startBackend();

      const res = await request(server)
        .get(`${ORDERS}/${route}`)
        .set('Authorization', mockCredentials.none.header());

      expect(res.status).toBe(401);
    },
  );

  it('accepts service credentials', async () => {
    const server = await startBackend();

    const res = await request(server)
      .get(`${ORDERS}/settings`)
      .set('Authorization', mockCredentials.service.header());

    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
  });

  it.each([['0'], ['201'], ['ten'], ['1.5'], ['']])(
    'rejects limit=%p with 400 naming limit',
    async limit => {
      const server = await startBackend();

      const res = await request(server).get(
        `${ORDERS}/deployments?limit=${limit}`,
      );

      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('limit'),
      });
    },
  );

  it.each([
    ['deployments', '/entities/default/component/bad%20name/deployments'],
    ['settings', '/entities/default/-component/orders-service/settings'],
    ['settings/versions', '/entities/de%2Ffault/component/x/settings/versions'],
  ])('rejects malformed entity path parameters on /%s', async (_, path) => {
    const server = await startBackend();

    const res = await request(server).get(`/api/deployments${path}`);

    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
  });

  it('serves /health without credentials', async () => {
    const server = await startBackend();

    const res = await request(server)
      .get('/api/deployments/health')
      .set('Authorization', mockCredentials.none.header());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('refuses to start with an invalid sample file', async () => {
    await expect(
      startBackend(SAMPLE_YAML.replace('status: failed', 'status: broken')),
    ).rejects.toThrow(/deployments\[1\]\.status .*deployment sample-orders-02/);
  });
});
