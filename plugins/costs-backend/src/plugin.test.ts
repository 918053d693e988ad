import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityCostReport } from '@paved-road/plugin-costs-common';
import request from 'supertest';
import { COSTS_INGESTION_TASK_ID, costsPlugin } from './plugin';

jest.setTimeout(30_000);

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags';
const ORDERS_TAGS =
  '"{""paved-road.io/service"":""component:default/orders-service"",""paved-road.io/cost-center"":""CC-1001""}"';

function row(day: string, effectiveCost: string, tags = ORDERS_TAGS) {
  return `99,${effectiveCost},EUR,${day}T00:00:00Z,${day}T23:59:59Z,Compute,${tags}`;
}

function utcDay(offsetDays: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

const COSTS_PATH = '/api/costs/entities/default/component/orders-service/costs';

describe('costsPlugin', () => {
  const mockDir = createMockDirectory();

  async function startBackend(
    extraFeatures: Parameters<typeof startTestBackend>[0]['features'] = [],
  ) {
    const scheduler = mockServices.scheduler.mock();
    const backend = await startTestBackend({
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
        ...extraFeatures,
      ],
    });
    // Run the scheduled ingestion once, as the scheduler would
    const [[task]] = scheduler.scheduleTask.mock.calls;
    expect(task).toMatchObject({
      id: COSTS_INGESTION_TASK_ID,
      frequency: { minutes: 30 },
      initialDelay: expect.anything(),
    });
    await task.fn(new AbortController().signal);
    return backend;
  }

  beforeEach(() => {
    mockDir.setContent({
      'november.csv': [
        HEADER,
        row('2025-02-28', '100'),
        row('2025-03-01', '10.5'),
        row('2025-03-01', '0.25'),
        row('2025-03-03', '4'),
        row('2025-03-03', '1000', '{}'),
        row('2025-03-06', '50'),
        row(utcDay(0), '2'),
        row(utcDay(-29), '3'),
        row(utcDay(-30), '700'),
      ].join('\r\n'),
    });
  });

  it('serves the ingested daily costs of an entity, zero-filled', async () => {
    const { server } = await startBackend();

    const res = await request(server)
      .get(`${COSTS_PATH}?from=2025-03-01&to=2025-03-04`)
      .expect(200);

    const report: EntityCostReport = res.body;
    expect(report).toEqual({
      entityRef: 'component:default/orders-service',
      currency: 'EUR',
      from: '2025-03-01',
      to: '2025-03-04',
      daily: [
        { date: '2025-03-01', amount: 10.75 },
        { date: '2025-03-02', amount: 0 },
        { date: '2025-03-03', amount: 4 },
        { date: '2025-03-04', amount: 0 },
      ],
      total: 14.75,
      monthToDate: 14.75,
      lastIngestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      // 14.75 over the 4 days of March so far, times 31 days
      forecast: 114.31,
      // No catalog entity, no price sheet: nothing planned
      costCenter: null,
      estimate: null,
      budget: null,
    });
  });

  it('defaults to the last 30 days up to today (UTC)', async () => {
    const { server } = await startBackend();

    const res = await request(server).get(COSTS_PATH).expect(200);

    expect(res.body.from).toBe(utcDay(-29));
    expect(res.body.to).toBe(utcDay(0));
    expect(res.body.daily).toHaveLength(30);
    expect(res.body.total).toBe(5);
  });

  it('matches entity refs case-insensitively', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get(
        '/api/costs/entities/Default/Component/Orders-Service/costs?from=2025-03-06&to=2025-03-06',
      )
      .expect(200);
    expect(res.body.entityRef).toBe('component:default/orders-service');
    expect(res.body.total).toBe(50);
  });

  it('answers 400 naming the field for bad input', async () => {
    const { server } = await startBackend();

    const badFrom = await request(server)
      .get(`${COSTS_PATH}?from=yesterday`)
      .expect(400);
    expect(badFrom.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^from /),
    });

    const reversed = await request(server)
      .get(`${COSTS_PATH}?from=2025-03-05&to=2025-03-01`)
      .expect(400);
    expect(reversed.body.error.message).toMatch(/^from .* is after to/);

    const badName = await request(server)
      .get('/api/costs/entities/default/component/-bad%20name/costs')
      .expect(400);
    expect(badName.body.error.name).toBe('InputError');
  });

  it('requires credentials, from users or other services', async () => {
    const { server } = await startBackend();

    const anonymous = await request(server)
      .get(COSTS_PATH)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const service = await request(server)
      .get(COSTS_PATH)
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
    expect(service.body.daily).toHaveLength(30);
  });

  it('answers 403 when the policy denies costs.report.read', async () => {
    const { server } = await startBackend([
      mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
    ]);
    const res = await request(server).get(COSTS_PATH).expect(403);
    expect(res.body.error.name).toBe('NotAllowedError');
  });

  it('keeps /health open', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/costs/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves empty reports and schedules no ingestion without sources', async () => {
    const scheduler = mockServices.scheduler.mock();
    const { server } = await startTestBackend({
      features: [costsPlugin, scheduler.factory],
    });

    expect(scheduler.scheduleTask).not.toHaveBeenCalledWith(
      expect.objectContaining({ id: COSTS_INGESTION_TASK_ID }),
    );
    const res = await request(server)
      .get(`${COSTS_PATH}?from=2025-03-01&to=2025-03-02`)
      .expect(200);
    expect(res.body).toMatchObject({
      currency: 'EUR',
      total: 0,
      monthToDate: 0,
      lastIngestedAt: null,
      daily: [
        { date: '2025-03-01', amount: 0 },
        { date: '2025-03-02', amount: 0 },
      ],
    });
  });
});
