import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PavedRoadClient } from './PavedRoadClient';

const BASE = 'http://localhost:7007/api/paved-road';

function notFound(message: string) {
  return HttpResponse.json(
    {
      error: { name: 'NotFoundError', message },
      response: { statusCode: 404 },
    },
    { status: 404 },
  );
}

describe('PavedRoadClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const tokens: (string | null)[] = [];
  const client = new PavedRoadClient({
    discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
    // Stands in for the app's fetchApi, which adds the user's token.
    fetchApi: {
      fetch: (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', 'Bearer user-token');
        return fetch(input, { ...init, headers });
      },
    },
  });

  beforeEach(() => {
    tokens.length = 0;
  });

  it('reads the hygiene list from the paved-road plugin', async () => {
    server.use(
      http.get(`${BASE}/hygiene`, () =>
        HttpResponse.json({ groups: [{ businessUnit: null, items: [] }] }),
      ),
    );
    await expect(client.getHygiene()).resolves.toEqual({
      groups: [{ businessUnit: null, items: [] }],
    });
  });

  it('passes only the audit filters that are set, and the page', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${BASE}/audit`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ items: [], nextCursor: 'c2' });
      }),
    );
    await expect(
      client.listAuditEvents(
        {
          entityRef: 'component:default/money-kt',
          actor: '',
          action: 'settings.changed',
          outcome: 'denied',
          from: '2026-11-01T00:00:00.000Z',
        },
        { cursor: 'c1', limit: 10 },
      ),
    ).resolves.toEqual({ items: [], nextCursor: 'c2' });
    await client.listAuditEvents({});
    expect(seen).toEqual([
      '?entityRef=component%3Adefault%2Fmoney-kt&action=settings.changed&outcome=denied&from=2026-11-01T00%3A00%3A00.000Z&cursor=c1&limit=10',
      '',
    ]);
  });

  it('downloads the CSV export with the filters and the user token', async () => {
    server.use(
      http.get(`${BASE}/audit/export.csv`, ({ request }) => {
        tokens.push(request.headers.get('authorization'));
        return new HttpResponse(
          `occurredAt,actor\n${new URL(request.url).searchParams.get(
            'costCenter',
          )},user:default/guest\n`,
          { headers: { 'content-type': 'text/csv' } },
        );
      }),
    );
    const blob = await client.exportAuditEvents({ costCenter: 'CC-1001' });
    expect(await blob.text()).toBe(
      'occurredAt,actor\nCC-1001,user:default/guest\n',
    );
    expect(tokens).toEqual(['Bearer user-token']);
  });

  it('reads a project by entity ref, and undefined when there is none', async () => {
    const project = {
      entityRef: 'component:default/money-kt',
      createdBy: 'user:default/guest',
      createdAt: '2026-11-22T10:00:00.000Z',
      templateRef: 'template:default/kotlin-service',
      templateVersion: '1.2.0',
      repoUrl: 'https://git.example/money-kt',
      taskId: 't1',
    };
    server.use(
      http.get(`${BASE}/projects/:namespace/:kind/:name`, ({ params }) =>
        params.name === 'money-kt' && params.kind === 'component'
          ? HttpResponse.json(project)
          : notFound('no project'),
      ),
    );
    await expect(
      client.getProject('component:default/money-kt'),
    ).resolves.toEqual(project);
    await expect(
      client.getProject('component:default/other'),
    ).resolves.toBeUndefined();
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${BASE}/hygiene`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'AuthenticationError',
              message: 'Missing credentials',
            },
            request: { method: 'GET', url: '/hygiene' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        ),
      ),
      http.get(`${BASE}/audit/export.csv`, () =>
        HttpResponse.json(
          {
            error: { name: 'InputError', message: 'from: invalid date' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client.getHygiene().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(401);
    expect(error.body.error.message).toBe('Missing credentials');

    const exportError = await client
      .exportAuditEvents({ from: 'x' })
      .catch(e => e);
    expect(exportError).toBeInstanceOf(ResponseError);
    expect(exportError.body.error.message).toBe('from: invalid date');
  });

  it('does not take a 404 of the audit list for an empty page', async () => {
    server.use(http.get(`${BASE}/audit`, () => notFound('no route')));
    await expect(client.listAuditEvents({})).rejects.toBeInstanceOf(
      ResponseError,
    );
  });
});
