import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ANNOTATION_CLOUD_RESOURCE_IDS,
  CatalogResourceOwners,
} from './CatalogResourceOwners';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/team',
      lifecycle: 'production',
    },
  };
}

describe('CatalogResourceOwners', () => {
  it('maps each listed resource id to its entity and cost center, in one catalog query', async () => {
    const catalog = catalogServiceMock({
      entities: [
        component('orders-service', {
          [ANNOTATION_CLOUD_RESOURCE_IDS]:
            'arn:aws:rds:eu-west-1:1:db:Orders , arn:aws:s3:::orders-assets,',
          'paved-road.io/cost-center': 'CC-1001',
        }),
        component('b-claims-too', {
          [ANNOTATION_CLOUD_RESOURCE_IDS]: 'arn:aws:s3:::orders-assets',
        }),
        component('no-ids', { 'paved-road.io/cost-center': 'CC-2001' }),
      ],
    });
    const getEntities = jest.spyOn(catalog, 'getEntities');
    const logger = mockServices.logger.mock();
    const owners = new CatalogResourceOwners({
      catalog,
      auth: mockServices.auth(),
      logger,
    });

    await owners.refresh();

    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(owners.find('ARN:AWS:RDS:EU-WEST-1:1:DB:ORDERS')).toEqual({
      entityRef: 'component:default/orders-service',
      costCenter: 'CC-1001',
    });
    // Claimed twice: the first by ref wins, and it is logged
    expect(owners.find('arn:aws:s3:::orders-assets')).toEqual({
      entityRef: 'component:default/b-claims-too',
      costCenter: null,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('arn:aws:s3:::orders-assets is claimed by'),
    );
    expect(owners.find('unknown')).toBeUndefined();
    expect(owners.size).toBe(2);
  });
});
