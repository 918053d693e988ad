import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogBusinessUnitParts } from './BusinessUnitParts';

function part(kind: string, name: string, unit?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: unit
      ? [{ type: 'partOfBusinessUnit', targetRef: unit }]
      : [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  };
}

describe('CatalogBusinessUnitParts', () => {
  it('lists the entities whose partOfBusinessUnit relation names the unit', async () => {
    const catalog = catalogServiceMock({
      entities: [
        part('Component', 'orders', 'group:default/payments'),
        part('API', 'payments-api', 'group:default/payments'),
        part('Component', 'fleet', 'group:default/logistics'),
        part('Component', 'owned-only'),
      ],
    });
    const parts = new CatalogBusinessUnitParts({
      catalog,
      auth: mockServices.auth(),
    });
    const refs = (await parts.getParts('group:default/payments')).map(ref =>
      stringifyEntityRef(ref),
    );
    expect(refs.sort()).toEqual([
      'api:default/payments-api',
      'component:default/orders',
    ]);
  });

  it('asks only for the fields a relation target needs, as the service', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.getEntities.mockResolvedValue({ items: [] });
    const parts = new CatalogBusinessUnitParts({
      catalog,
      auth: mockServices.auth(),
    });
    await parts.getParts('group:default/payments');
    expect(catalog.getEntities).toHaveBeenCalledWith(
      {
        filter: { 'relations.partOfBusinessUnit': 'group:default/payments' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });
});
