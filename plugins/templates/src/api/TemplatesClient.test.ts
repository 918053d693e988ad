import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { kotlinDetails, kotlinSummary } from '../__testUtils__/fixtures';
import { TemplatesClient } from './TemplatesClient';

const BASE = 'http://example.com/api/templates';

describe('TemplatesClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new TemplatesClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('lists template health and reads one template by namespace and name', async () => {
    server.use(
      http.get(`${BASE}/health`, () =>
        HttpResponse.json({ items: [kotlinSummary] }),
      ),
      http.get(`${BASE}/health/default/kotlin-spring-service`, () =>
        HttpResponse.json(kotlinDetails),
      ),
    );
    await expect(client.listTemplateHealth()).resolves.toEqual({
      items: [kotlinSummary],
    });
    await expect(
      client.getTemplateHealth({
        namespace: 'default',
        name: 'kotlin-spring-service',
      }),
    ).resolves.toEqual(kotlinDetails);
  });

  it('posts a report as JSON and throws the backend error as a ResponseError', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${BASE}/health/reports`, async ({ request }) => {
        const body = (await request.json()) as { message: string };
        bodies.push(body);
        if (body.message === 'bad') {
          return HttpResponse.json(
            {
              error: { name: 'InputError', message: 'message: too short' },
              request: {},
              response: { statusCode: 400 },
            },
            { status: 400 },
          );
        }
        return HttpResponse.json({ id: 'r1', ...body }, { status: 201 });
      }),
    );
    await expect(
      client.reportTemplateProblem({
        templateRef: 'kotlin-spring-service',
        message: 'ok',
      }),
    ).resolves.toMatchObject({ id: 'r1', message: 'ok' });
    const error = await client
      .reportTemplateProblem({
        templateRef: 'kotlin-spring-service',
        message: 'bad',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('message: too short');
    expect(bodies).toHaveLength(2);
  });
});
