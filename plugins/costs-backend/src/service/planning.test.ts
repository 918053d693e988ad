import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import express from 'express';
import request from 'supertest';
import {
  insertKnownCosts,
  ORDERS,
  ORGANISATION,
} from '../__testUtils__/organisation';
import { COSTS_DIMENSIONS_TASK_ID } from '../dimensions/refreshDimensions';
import { costsPlugin } from '../plugin';
import { COSTS_BUDGET_ALERTS_TASK_ID } from './planning';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const PRICE_SHEET = {
  currency: 'EUR',
  clusters: {
    default: { default: { perVcpuHour: 0.04, perGiBHour: 0.005 } },
    'eu-prod-1': { 'eu-west-1': { perVcpuHour: 0.05, perGiBHour: 0.006 } },
  },
};

const ORDERS_SETTINGS = {
  cluster: 'eu-prod-1',
  replicas: 3,
  cpuMillicores: 500,
  memoryMiB: 1024,
  regions: ['eu-west-1'],
  rollout: { strategy: 'canary', canaryPercent: 10, healthCheckPath: '/' },
};

/** The deployments plugin's settings route, for orders-service only. */
const fakeDeployments = createBackendPlugin({
  pluginId: 'deployments',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.get(
          '/entities/default/component/orders-service/settings',
          (_req, res) => {
            res.json({
              entityRef: ORDERS,
              version: 2,
              settings: ORDERS_SETTINGS,
            });
          },
        );
        httpRouter.use(router);
      },
    });
  },
});

describe('estimates, roll-ups and budgets over HTTP', () => {
  const send = jest.fn();
  const recorded: unknown[] = [];

  async function startBackend(
    options: { permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY } = {},
  ) {
    const knex = await databases.init('SQLITE_3');
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
      features: [
        costsPlugin,
        fakeDeployments,
        mockServices.rootConfig.factory({
          data: { costs: { priceSheet: PRICE_SHEET } },
        }),
        mockServices.database.factory({ knex }),
        scheduler.factory,
        catalogServiceMock.factory({ entities: ORGANISATION }),
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send }),
        }),
        createServiceFactory({
          service: pavedRoadAuditServiceRef,
          deps: {},
          factory: () => ({
            record: async (event: unknown) => {
              recorded.push(event);
            },
          }),
        }),
      ],
    });
    const task = (id: string) => {
      const call = scheduler.scheduleTask.mock.calls.find(([t]) => t.id === id);
      if (!call) {
        throw new Error(`task ${id} was not scheduled`);
      }
      return () => call[0].fn(new AbortController().signal);
    };
    await task(COSTS_DIMENSIONS_TASK_ID)();
    return { server: backend.server, knex, task };
  }

  beforeEach(() => {
    send.mockReset();
    recorded.length = 0;
  });

  describe('POST /api/costs/estimate', () => {
    it('estimates settings for a month', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .post('/api/costs/estimate')
        .send({ settings: ORDERS_SETTINGS, month: '2026-12' })
        .expect(200);
      expect(res.body).toMatchObject({
        currency: 'EUR',
        month: '2026-12',
        hoursInMonth: 744,
        monthlyTotal: 69.19,
        lines: [{ region: 'eu-west-1', cpuCost: 55.8, memoryCost: 13.39 }],
      });
    });

    it('answers 400 naming the field, and 401 without credentials', async () => {
      const { server } = await startBackend();
      const replicas = await request(server)
        .post('/api/costs/estimate')
        .send({ settings: { ...ORDERS_SETTINGS, replicas: 51 } })
        .expect(400);
      expect(replicas.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^settings\.replicas: /),
      });
      const month = await request(server)
        .post('/api/costs/estimate')
        .send({ settings: ORDERS_SETTINGS, month: '12/2026' })
        .expect(400);
      expect(month.body.error.message).toMatch(/^month /);
      await request(server)
        .post('/api/costs/estimate')
        .set('Authorization', mockCredentials.none.header())
        .send({ settings: ORDERS_SETTINGS })
        .expect(401);
    });
  });

  describe('GET /api/costs/rollups', () => {
    it('rolls up by business unit and drills into one', async () => {
      const { server, knex } = await startBackend();
      await insertKnownCosts(knex);
      const res = await request(server)
        .get(
          '/api/costs/rollups?groupBy=business-unit&from=2026-03-01&to=2026-03-10&currency=EUR',
        )
        .expect(200);
      expect(res.body.items.map((i: any) => [i.key, i.title, i.total])).toEqual(
        [
          ['group:default/payments', 'Payments', 38],
          ['group:default/logistics', 'Logistics', 7],
        ],
      );
      expect(res.body.unallocated).toEqual({ total: 8, previousTotal: 1 });

      const drill = await request(server)
        .get(
          '/api/costs/rollups?groupBy=cost-center&from=2026-03-01&to=2026-03-10&currency=EUR&filter=business-unit:group:default/payments',
        )
        .expect(200);
      expect(drill.body.items.map((i: any) => [i.key, i.total])).toEqual([
        ['CC-1002', 20],
        ['CC-1001', 18],
      ]);

      const daily = await request(server)
        .get(
          '/api/costs/rollups/daily?groupBy=cost-center&from=2026-03-01&to=2026-03-03&currency=EUR&keys=CC-1001',
        )
        .expect(200);
      expect(daily.body).toEqual({
        currency: 'EUR',
        from: '2026-03-01',
        to: '2026-03-03',
        days: ['2026-03-01', '2026-03-02', '2026-03-03'],
        series: [
          { key: 'CC-1001', kind: 'group', amounts: [10, 0, 0] },
          { key: 'other', kind: 'other', amounts: [0, 20, 7] },
          { key: 'unallocated', kind: 'unallocated', amounts: [0, 0, 0] },
        ],
      });
    });

    it('answers 400 naming the field', async () => {
      const { server } = await startBackend();
      const groupBy = await request(server)
        .get('/api/costs/rollups?groupBy=region')
        .expect(400);
      expect(groupBy.body.error.message).toMatch(/^groupBy /);
      const to = await request(server)
        .get('/api/costs/rollups?groupBy=team&to=2026-02-30')
        .expect(400);
      expect(to.body.error.message).toMatch(/^to /);
    });
  });

  describe('budgets', () => {
    const PATH = '/api/costs/budgets/cost-center/CC-1001';

    it('sets a budget, reports it and keeps its history', async () => {
      const { server } = await startBackend();
      const put = await request(server)
        .put(PATH)
        .send({ amount: 500, currency: 'EUR', message: 'first budget' })
        .expect(200);
      expect(put.body).toMatchObject({
        scope: 'cost-center',
        key: 'CC-1001',
        amount: 500,
        currency: 'EUR',
        updatedBy: 'user:default/mock',
      });
      await request(server).put(PATH).send({ amount: 400, currency: 'EUR' });

      const list = await request(server).get('/api/costs/budgets').expect(200);
      expect(list.body.items).toContainEqual(
        expect.objectContaining({
          scope: 'cost-center',
          key: 'CC-1001',
          budget: expect.objectContaining({ amount: 400 }),
          status: expect.stringMatching(/^(on-track|at-risk|over)$/),
        }),
      );
      const history = await request(server).get(`${PATH}/history`).expect(200);
      expect(
        history.body.items.map((c: any) => [c.previousAmount, c.amount]),
      ).toEqual([
        [500, 400],
        [null, 500],
      ]);

      const unit = await request(server)
        .put('/api/costs/budgets/business-unit/group:default/payments')
        .send({ amount: 2000, currency: 'EUR' })
        .expect(200);
      expect(unit.body.key).toBe('group:default/payments');
    });

    it('answers 400 naming the field and 404 for a cost center no unit lists', async () => {
      const { server } = await startBackend();
      const amount = await request(server)
        .put(PATH)
        .send({ amount: 0, currency: 'EUR' })
        .expect(400);
      expect(amount.body.error.message).toMatch(/^amount: /);
      const key = await request(server)
        .put('/api/costs/budgets/cost-center/1001')
        .send({ amount: 1, currency: 'EUR' })
        .expect(400);
      expect(key.body.error.message).toMatch(/^key /);
      const scope = await request(server)
        .get('/api/costs/budgets/team/x/history')
        .expect(400);
      expect(scope.body.error.message).toMatch(/^scope /);
      await request(server)
        .put('/api/costs/budgets/cost-center/CC-9999')
        .send({ amount: 1, currency: 'EUR' })
        .expect(404);
    });

    it('answers 403 naming the action when the policy denies costs.budget.update', async () => {
      const { server } = await startBackend({
        permission: AuthorizeResult.DENY,
      });
      const res = await request(server)
        .put(PATH)
        .send({ amount: 500, currency: 'EUR' })
        .expect(403);
      expect(res.body.error).toMatchObject({
        name: 'NotAllowedError',
        message: 'You may not update the budget of cost-center CC-1001',
      });
      const history = await request(server).get(`${PATH}/history`).expect(200);
      expect(history.body.items).toEqual([]);
    });

    it('takes changes from users only', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .put(PATH)
        .set('Authorization', mockCredentials.service.header())
        .send({ amount: 500, currency: 'EUR' });
      expect(res.status).toBe(403);
    });

    it('audits changes through the outbox and alerts once', async () => {
      const { server, task } = await startBackend();
      await request(server)
        .put(PATH)
        .send({ amount: 0.01, currency: 'EUR' })
        .expect(200);
      await task('costs-audit-outbox')();
      expect(recorded).toEqual([
        expect.objectContaining({
          action: 'budget.changed',
          outcome: 'succeeded',
          actor: 'user:default/mock',
          businessUnit: 'group:default/payments',
          costCenter: 'CC-1001',
        }),
      ]);
      // No cost yet this month: nothing to alert on
      await task(COSTS_BUDGET_ALERTS_TASK_ID)();
      expect(send).not.toHaveBeenCalled();
    });
  });

  describe('GET /api/costs/entities/:namespace/:kind/:name/costs', () => {
    it('adds the estimate, forecast, cost center and budget', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get(
          '/api/costs/entities/default/component/orders-service/costs?from=2026-12-01&to=2026-12-10',
        )
        .expect(200);
      expect(res.body).toMatchObject({
        total: 0,
        forecast: 0,
        costCenter: 'CC-1001',
        estimate: { month: '2026-12', monthlyTotal: 69.19 },
        budget: { scope: 'cost-center', key: 'CC-1001', status: 'no-budget' },
      });
    });

    it('has no estimate for an entity without deployment settings', async () => {
      const { server } = await startBackend();
      const res = await request(server)
        .get('/api/costs/entities/default/component/fleet-tracker/costs')
        .expect(200);
      expect(res.body).toMatchObject({
        estimate: null,
        costCenter: 'CC-2001',
      });
    });
  });
});
