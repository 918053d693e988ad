import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { COSTS_INGESTION_TASK_ID, costsPlugin } from '../plugin';

jest.setTimeout(30_000);

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags';
const ORDERS_TAGS =
  '"{""paved-road.io/service"":""component:default/orders-service"",""paved-road.io/cost-center"":""CC-1001""}"';

const row = (day: string, cost: string, tags = ORDERS_TAGS) =>
  `99,${cost},EUR,${day}T00:00:00Z,${day}T23:59:59Z,Compute,${tags}`;

describe('costs actions', () => {
  const mockDir = createMockDirectory();

  async function startBackend(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    mockDir.setContent({
      'march.csv': [
        HEADER,
        row('2025-03-01', '10.5'),
        row('2025-03-03', '4'),
        row('2025-03-03', '1000', '{}'),
      ].join('\r\n'),
    });
    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [
        costsPlugin,
        mockServices.rootConfig.factory({
          data: {
            costs: {
              sources: [{ id: 'test', type: 'focus-csv', path: mockDir.path }],
            },
          },
        }),
        scheduler.factory,
        mockServices.permissions.factory({ result }),
      ],
    });
    const ingestion = scheduler.scheduleTask.mock.calls.find(
      ([task]) => task.id === COSTS_INGESTION_TASK_ID,
    )!;
    await ingestion[0].fn(new AbortController().signal);
    return server;
  }

  const invoke = (server: any, name: string, input: object) =>
    request(server)
      .post(`/api/costs/.backstage/actions/v2/actions/costs:${name}/invoke`)
      .set('Authorization', mockCredentials.user.header())
      .send({ input });

  it('get-project-costs answers what the REST route answers, in the output schema', async () => {
    const server = await startBackend();
    const range = { from: '2025-03-01', to: '2025-03-03' };

    const res = await invoke(server, 'get-project-costs', {
      entityRef: 'orders-service',
      ...range,
    });
    const rest = await request(server)
      .get('/api/costs/entities/default/component/orders-service/costs')
      .query(range);

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: 'component:default/orders-service',
      currency: 'EUR',
      from: '2025-03-01',
      to: '2025-03-03',
      total: 14.5,
      monthToDate: 14.5,
      forecast: rest.body.forecast,
      lastIngestedAt: expect.any(String),
      costCenter: rest.body.costCenter,
      estimate: null,
      budget: rest.body.budget,
      daily: [
        { date: '2025-03-01', amount: 10.5 },
        { date: '2025-03-02', amount: 0 },
        { date: '2025-03-03', amount: 4 },
      ],
    });
    expect(rest.body.total).toBe(res.body.output.total);
  });

  it('get-project-costs answers InputError naming the field', async () => {
    const server = await startBackend();

    const badDate = await invoke(server, 'get-project-costs', {
      entityRef: 'orders-service',
      from: 'last week',
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^from /),
    });

    const badRef = await invoke(server, 'get-project-costs', {
      entityRef: 'component:',
    });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(/^entityRef: /);

    const badCurrency = await invoke(server, 'get-project-costs', {
      entityRef: 'orders-service',
      currency: 'euro',
    });
    expect(badCurrency.body.error.message).toMatch(/^currency /);
  });

  it('get-project-costs answers NotAllowedError when the policy denies costs.report.read', async () => {
    const server = await startBackend(AuthorizeResult.DENY);

    const res = await invoke(server, 'get-project-costs', {
      entityRef: 'orders-service',
    });

    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('get-cost-rollup groups the cost, with what it cannot allocate', async () => {
    const server = await startBackend();

    const res = await invoke(server, 'get-cost-rollup', {
      groupBy: 'cost-center',
      from: '2025-03-01',
      to: '2025-03-31',
    });
    const rest = await request(server)
      .get('/api/costs/rollups')
      .query({ groupBy: 'cost-center', from: '2025-03-01', to: '2025-03-31' });

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual(rest.body);
    expect(res.body.output).toMatchObject({
      groupBy: 'cost-center',
      items: [expect.objectContaining({ key: 'CC-1001', total: 14.5 })],
    });
  });

  it('get-cost-rollup answers InputError naming the field', async () => {
    const server = await startBackend();

    const badGroup = await invoke(server, 'get-cost-rollup', {
      groupBy: 'planet',
    });
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error.name).toBe('InputError');

    const badFilter = await invoke(server, 'get-cost-rollup', {
      groupBy: 'service',
      filter: 'cost-center:1001',
    });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.message).toMatch(/^filter: /);
  });
});
