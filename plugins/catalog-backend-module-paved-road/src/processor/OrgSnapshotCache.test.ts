import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { OrgSnapshotCache } from './OrgSnapshotCache';

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments' },
  spec: { type: 'business-unit' },
};
const platform: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'platform' },
  spec: { owner: 'payments' },
};

function setup() {
  const catalog = catalogServiceMock.mock();
  const cache = new OrgSnapshotCache({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
  });
  return { catalog, cache };
}

describe('OrgSnapshotCache', () => {
  it('loads groups and systems once, with service credentials', async () => {
    const { catalog, cache } = setup();
    catalog.getEntities.mockResolvedValue({ items: [payments, platform] });

    const [a, b] = await Promise.all([
      cache.getSnapshot(),
      cache.getSnapshot(),
    ]);
    await cache.getSnapshot();

    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: [{ kind: 'Group' }, { kind: 'System' }],
      }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
    expect(a).toBe(b);
    expect([...a.groups.keys()]).toEqual(['group:default/payments']);
    expect([...a.systems.keys()]).toEqual(['system:default/platform']);
  });

  it('picks up org changes on refresh', async () => {
    const { catalog, cache } = setup();
    catalog.getEntities.mockResolvedValueOnce({ items: [] });
    expect((await cache.getSnapshot()).groups.size).toBe(0);

    catalog.getEntities.mockResolvedValueOnce({ items: [payments] });
    await cache.refresh();
    expect((await cache.getSnapshot()).groups.size).toBe(1);
  });

  it('keeps the last snapshot when a refresh fails', async () => {
    const { catalog, cache } = setup();
    catalog.getEntities.mockResolvedValueOnce({ items: [payments] });
    await cache.getSnapshot();

    catalog.getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(cache.refresh()).rejects.toThrow('catalog down');
    expect((await cache.getSnapshot()).groups.size).toBe(1);
  });

  it('fails processing instead of judging against an empty org', async () => {
    const { catalog, cache } = setup();
    catalog.getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(cache.getSnapshot()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });

    catalog.getEntities.mockResolvedValueOnce({ items: [payments] });
    expect((await cache.getSnapshot()).groups.size).toBe(1);
  });

  it('reloads a snapshot older than maxAgeMs, and only then', async () => {
    const { catalog, cache } = setup();
    catalog.getEntities.mockResolvedValueOnce({ items: [] });
    await cache.getSnapshot();
    catalog.getEntities.mockResolvedValue({ items: [payments] });

    // Fresh enough: no second load.
    expect((await cache.getSnapshot({ maxAgeMs: 60_000 })).groups.size).toBe(0);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);

    // Stale: reloaded once.
    await new Promise(r => setTimeout(r, 5));
    expect((await cache.getSnapshot({ maxAgeMs: 1 })).groups.size).toBe(1);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });
});
