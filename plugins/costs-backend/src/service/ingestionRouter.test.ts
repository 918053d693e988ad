import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import {
  createIngestionRouter,
  IngestionStatusResponse,
} from './ingestionRouter';

jest.setTimeout(30_000);

describe('GET /api/costs/ingestions', () => {
  let store: DatabaseCostStore;

  // The route on the real HTTP stack, without the rest of the plugin
  const testPlugin = createBackendPlugin({
    pluginId: 'costs',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
        },
        async init({ database, httpAuth, httpRouter }) {
          store = await DatabaseCostStore.create({ database });
          httpRouter.use(await createIngestionRouter({ httpAuth, store }));
        },
      });
    },
  });

  async function start() {
    const { server } = await startTestBackend({
      features: [testPlugin, mockServices.database.factory()],
    });
    return server;
  }

  const outcome = (fileSha256: string) => ({
    fileSha256,
    etag: null,
    rejectedCount: 0,
    rejected: [],
  });

  it('lists each file with its status and rejected rows', async () => {
    const server = await start();
    await store.replaceFile({
      sourceId: 'aws',
      filePath: 'a.csv',
      items: [],
      outcome: () => ({
        ...outcome('a'),
        rejectedCount: 1,
        rejected: [{ line: 3, reason: "EffectiveCost 'x' is not a number" }],
      }),
    });
    await store.replaceFile({
      sourceId: 'aws',
      filePath: 'b.csv',
      items: [],
      outcome: () => outcome('b'),
    });
    await store.markUnchanged({ sourceId: 'aws', filePath: 'b.csv' });
    await store.recordRejectedFile({
      sourceId: 'aws',
      filePath: 'c.csv',
      outcome: {
        ...outcome('c'),
        rejectedCount: 1,
        rejected: [{ line: 1, reason: 'not a FOCUS export' }],
      },
    });

    const res = await request(server).get('/api/costs/ingestions');

    expect(res.status).toBe(200);
    const body = res.body as IngestionStatusResponse;
    expect(body.items).toEqual([
      {
        sourceId: 'aws',
        file: 'a.csv',
        ingestedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        checkedAt: null,
        rowCount: 0,
        rejectedCount: 1,
        rejected: [{ line: 3, reason: "EffectiveCost 'x' is not a number" }],
        status: 'ingested',
      },
      expect.objectContaining({
        file: 'b.csv',
        status: 'unchanged',
        checkedAt: expect.any(String),
      }),
      expect.objectContaining({
        file: 'c.csv',
        status: 'rejected',
        rejected: [{ line: 1, reason: 'not a FOCUS export' }],
      }),
    ]);
  });

  it('is empty before any ingestion', async () => {
    const server = await start();
    const res = await request(server).get('/api/costs/ingestions');
    expect(res.body).toEqual({ items: [] });
  });

  it('needs a signed-in user or a service', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/costs/ingestions')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
