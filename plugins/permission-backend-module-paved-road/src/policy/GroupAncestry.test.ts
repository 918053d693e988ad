import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GroupAncestry } from './GroupAncestry';

function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...(parent && { parent }) },
    relations: parent
      ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
      : [],
  };
}

const GROUPS = [
  group('payments'),
  group('checkout', 'payments'),
  group('platform'),
  group('platform-admins', 'platform'),
  group('on-call', 'platform-admins'),
];

function setup(entities: Entity[] = GROUPS) {
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  let now = 1_000_000;
  const ancestry = new GroupAncestry({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    ttlMs: 30_000,
    now: () => now,
  });
  return {
    ancestry,
    getEntities,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('GroupAncestry', () => {
  it('adds every group above the user’s groups, keeping the rest', async () => {
    const { ancestry } = setup();
    await expect(
      ancestry.expand(['user:default/otto', 'group:default/on-call']),
    ).resolves.toEqual(
      expect.arrayContaining([
        'user:default/otto',
        'group:default/on-call',
        'group:default/platform-admins',
        'group:default/platform',
      ]),
    );
    await expect(
      ancestry.expand(['group:default/Checkout']),
    ).resolves.toHaveLength(2);
  });

  it('reads the catalog once per cache period, not once per decision', async () => {
    const { ancestry, getEntities, advance } = setup();
    await Promise.all([
      ancestry.expand(['group:default/checkout']),
      ancestry.expand(['group:default/on-call']),
    ]);
    for (let i = 0; i < 20; i++) {
      advance(1_000);
      await ancestry.expand(['group:default/checkout']);
    }
    expect(getEntities).toHaveBeenCalledTimes(1);

    advance(10_000); // 30 s after the first read
    await ancestry.expand(['group:default/checkout']);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps the previous hierarchy when the catalog cannot be read', async () => {
    const { ancestry, getEntities, advance } = setup();
    await ancestry.expand(['group:default/checkout']);
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    advance(60_000);
    await expect(
      ancestry.expand(['group:default/checkout']),
    ).resolves.toContain('group:default/payments');
  });

  it('falls back to direct memberships when it never read the catalog', async () => {
    const { ancestry, getEntities } = setup();
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(ancestry.expand(['group:default/checkout'])).resolves.toEqual([
      'group:default/checkout',
    ]);
  });

  it('stops at cycles in the hierarchy', async () => {
    const { ancestry } = setup([group('a', 'b'), group('b', 'a')]);
    await expect(ancestry.expand(['group:default/a'])).resolves.toEqual([
      'group:default/a',
      'group:default/b',
    ]);
  });
});
