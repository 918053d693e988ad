import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { cleanJob } from '../components/TemplateUpgradeCard/__testUtils__/upgrades';
import { TemplateUpgradesClient } from './TemplateUpgradesClient';

const BASE = 'http://example.com/api/templates';

describe('TemplateUpgradesClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new TemplateUpgradesClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('merges an upgrade with a POST and returns the merged job', async () => {
    const merged = cleanJob({
      mergedAt: '2026-12-07T18:30:00.000Z',
      mergedBy: 'user:default/guest',
    });
    server.use(
      http.post(`${BASE}/upgrades/${merged.id}/merge`, () =>
        HttpResponse.json({ job: merged }),
      ),
    );
    await expect(client.mergeUpgrade(merged.id)).resolves.toEqual(merged);
  });

  it("throws a refused merge as a ResponseError with the backend's message", async () => {
    server.use(
      http.post(`${BASE}/upgrades/:id/merge`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'Merge the pull request of paved-road/upgrade-1.1.0 (https://github.com/acme/orders-api/pull/7)',
            },
            request: {},
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client.mergeUpgrade('j1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toMatch(/^Merge the pull request of/);
  });
});
