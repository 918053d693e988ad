import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createAwaitEntityAction } from './awaitEntity';
import { examples } from './awaitEntity.examples';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'checkout', lifecycle: 'production' },
};

describe('paved-road:catalog:await-entity', () => {
  it('returns once the entity is readable', async () => {
    const catalog = catalogServiceMock.mock();
    catalog.getEntityByRef
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce(undefined)
      .mockResolvedValue(orders);
    const action = createAwaitEntityAction({
      catalog,
      auth: mockServices.auth(),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/orders-service' },
    });

    await action.handler(ctx);

    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/orders-service',
      expect.anything(),
    );
  });

  it('fails the step when the entity never appears', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const action = createAwaitEntityAction({
      catalog,
      auth: mockServices.auth(),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/ghost', timeoutSeconds: 1 },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /component:default\/ghost did not appear in the catalog within 1 s/,
    );
  });

  it('rejects a malformed ref naming the field', async () => {
    const action = createAwaitEntityAction({
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
    });
    const ctx = createMockActionContext({ input: { entityRef: 'orders' } });
    await expect(action.handler(ctx)).rejects.toThrow(/^input\.entityRef:/);
  });

  it('runs its example against a catalog that has the entity', async () => {
    const action = createAwaitEntityAction({
      catalog: catalogServiceMock({ entities: [orders] }),
      auth: mockServices.auth(),
    });
    const input = yaml.parse(examples[0].example).steps[0].input;
    await expect(
      action.handler(createMockActionContext({ input })),
    ).resolves.toBeUndefined();
  });
});
