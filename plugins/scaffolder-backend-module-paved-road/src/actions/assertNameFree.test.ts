import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createAssertNameFreeAction } from './assertNameFree';
import { examples } from './assertNameFree.examples';

const orders: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

describe('paved-road:catalog:assert-name-free', () => {
  const catalog = catalogServiceMock({ entities: [orders] });
  const action = createAssertNameFreeAction({
    catalog,
    auth: mockServices.auth(),
  });

  it('fails the step when the name is taken, naming the entity and its owner', async () => {
    const ctx = createMockActionContext({
      input: { kind: 'Component', name: 'orders-service' },
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'The name orders-service is taken: component:default/orders-service is already in the catalog (owned by group:default/checkout). Choose another name.',
    });
  });

  it('treats kind and name case-insensitively, as the catalog does', async () => {
    const ctx = createMockActionContext({
      input: {
        kind: 'component',
        namespace: 'default',
        name: 'Orders-Service',
      },
    });
    await expect(action.handler(ctx)).rejects.toThrow(/is taken/);
  });

  it('passes for a free name, and for the same name of another kind', async () => {
    for (const input of [
      { kind: 'Component', name: 'payments-service' },
      { kind: 'Template', name: 'orders-service' },
      { kind: 'Component', namespace: 'other', name: 'orders-service' },
    ]) {
      await expect(
        action.handler(createMockActionContext({ input })),
      ).resolves.toBeUndefined();
    }
  });

  it('checks in a dry run too', async () => {
    const ctx = createMockActionContext({
      input: { kind: 'Component', name: 'orders-service' },
    });
    await expect(action.handler({ ...ctx, isDryRun: true })).rejects.toThrow(
      /is taken/,
    );
  });

  it('rejects a malformed name naming the input', async () => {
    const ctx = createMockActionContext({
      input: { kind: 'Component', name: 'a/b/c' },
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^input: /),
    });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      await expect(
        action.handler(createMockActionContext({ input: step.input })),
      ).resolves.toBeUndefined();
      // The same example against a catalog that has the name fails.
      const taken = createAssertNameFreeAction({
        catalog: catalogServiceMock({
          entities: [
            {
              ...orders,
              kind: step.input.kind,
              metadata: { name: step.input.name, namespace: 'default' },
            },
          ],
        }),
        auth: mockServices.auth(),
      });
      await expect(
        taken.handler(createMockActionContext({ input: step.input })),
      ).rejects.toThrow(/is taken/);
    },
  );
});
