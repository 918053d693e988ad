import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PavedRoadClient } from './PavedRoadClient';

const BASE = 'http://localhost:7007/api/catalog';

describe('PavedRoadClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new PavedRoadClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    fetchApi: { fetch: (...args) => fetch(...args) },
  });

  it('reads the hygiene list from the catalog plugin', async () => {
    server.use(
      http.get(`${BASE}/paved-road/hygiene`, () =>
        HttpResponse.json({ groups: [{ businessUnit: null, items: [] }] }),
      ),
    );
    await expect(client.getHygiene()).resolves.toEqual({
      groups: [{ businessUnit: null, items: [] }],
    });
  });

  it('passes only the audit filters that are set', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/paved-road/audit/projects`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ items: [{ taskId: 't1' }] });
      }),
    );
    await expect(
      client.getProjectAudit({
        entityRef: 'component:default/money-kt',
        createdBy: '',
      }),
    ).resolves.toEqual([{ taskId: 't1' }]);
    await client.getProjectAudit();
    expect(seen).toEqual(['?entityRef=component%3Adefault%2Fmoney-kt', '']);
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${BASE}/paved-road/hygiene`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'AuthenticationError',
              message: 'Missing credentials',
            },
            request: { method: 'GET', url: '/paved-road/hygiene' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        ),
      ),
    );
    const error = await client.getHygiene().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(401);
    expect(error.body.error.message).toBe('Missing credentials');
  });
});
