import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { CostsClient } from './CostsClient';

const BASE_URL = 'http://localhost:7007/api/costs';

const REPORT: EntityCostReport = {
  entityRef: 'component:default/orders-service',
  currency: 'EUR',
  from: '2026-11-01',
  to: '2026-11-02',
  daily: [
    { date: '2026-11-01', amount: 12.5 },
    { date: '2026-11-02', amount: 0 },
  ],
  total: 12.5,
  monthToDate: 12.5,
  lastIngestedAt: '2026-11-02T06:00:00.000Z',
  costCenter: 'CC-1001',
  forecast: 375,
  estimate: null,
  budget: null,
};

describe('CostsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new CostsClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (...args) => fetch(...args) },
  });
  const ref = {
    kind: 'Component',
    namespace: 'default',
    name: 'orders-service',
  };

  it('asks for the entity by path and the range by query', async () => {
    let requested: URL | undefined;
    server.use(
      http.get(
        `${BASE_URL}/entities/:namespace/:kind/:name/costs`,
        ({ request }) => {
          requested = new URL(request.url);
          return HttpResponse.json(REPORT);
        },
      ),
    );

    await expect(
      client.getEntityCosts(ref, { from: '2026-11-01', to: '2026-11-02' }),
    ).resolves.toEqual(REPORT);
    expect(requested?.pathname).toBe(
      '/api/costs/entities/default/Component/orders-service/costs',
    );
    expect(Object.fromEntries(requested!.searchParams)).toEqual({
      from: '2026-11-01',
      to: '2026-11-02',
    });
  });

  it('leaves the range to the backend when none is given', async () => {
    let search: string | undefined;
    server.use(
      http.get(`${BASE_URL}/entities/*`, ({ request }) => {
        search = new URL(request.url).search;
        return HttpResponse.json(REPORT);
      }),
    );
    await client.getEntityCosts(ref);
    expect(search).toBe('');
  });

  it('escapes path parts', async () => {
    let pathname: string | undefined;
    server.use(
      http.get(`${BASE_URL}/entities/*`, ({ request }) => {
        pathname = new URL(request.url).pathname;
        return HttpResponse.json(REPORT);
      }),
    );
    await client.getEntityCosts({ ...ref, name: 'a/b?c' });
    expect(pathname).toBe(
      '/api/costs/entities/default/Component/a%2Fb%3Fc/costs',
    );
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${BASE_URL}/entities/*`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: "from 'yesterday' is not a date YYYY-MM-DD",
            },
            request: { method: 'GET', url: '/entities/x' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );

    const error = await client
      .getEntityCosts(ref, { from: 'yesterday' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.body.error.message).toBe(
      "from 'yesterday' is not a date YYYY-MM-DD",
    );
  });

  it('throws on a server error without a JSON body', async () => {
    server.use(
      http.get(
        `${BASE_URL}/entities/*`,
        () => new HttpResponse('upstream timed out', { status: 503 }),
      ),
    );
    await expect(client.getEntityCosts(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 503,
    });
  });
});
