import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { compileCostCenterPattern } from '@paved-road/plugin-paved-road-common';
import { sampleOrg } from '../__fixtures__/sampleOrg';
import { createResolveCostCenterAction } from './resolveCostCenter';

function setup(options: { pattern?: RegExp } = {}) {
  const catalog = catalogServiceMock({ entities: sampleOrg });
  jest.spyOn(catalog, 'getEntities');
  const action = createResolveCostCenterAction({
    catalog,
    auth: mockServices.auth(),
    costCenterPattern: options.pattern,
  });
  const run = async (input: { owner: string; costCenter?: string }) => {
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
  };
  return { catalog, action, run };
}

describe('paved-road:cost-center:resolve', () => {
  it('defaults to the first cost center of the business unit', async () => {
    const { run } = setup();
    await expect(run({ owner: 'group:default/checkout' })).resolves.toEqual({
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
      costCenters: ['CC-1001', 'CC-1002'],
    });
  });

  it('keeps a valid choice and treats blank as no choice', async () => {
    const { run } = setup();
    expect(
      (await run({ owner: 'warehouse', costCenter: 'CC-2002' })).costCenter,
    ).toBe('CC-2002');
    expect((await run({ owner: 'fleet', costCenter: ' ' })).costCenter).toBe(
      'CC-2001',
    );
  });

  it('reads only Groups, with service credentials', async () => {
    const { run, catalog } = setup();
    await run({ owner: 'checkout' });
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'Group' } }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
  });

  it('fails naming the cost center when it belongs to another unit', async () => {
    const { run } = setup();
    await expect(
      run({ owner: 'group:default/checkout', costCenter: 'CC-2001' }),
    ).rejects.toThrow(
      'input.costCenter: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
    );
  });

  it('fails on malformed cost centers', async () => {
    const { run } = setup();
    await expect(
      run({ owner: 'checkout', costCenter: '<img src=x>' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^input\.costCenter: Cost center .* does not match the format/,
      ),
    });
  });

  it('fails naming the owner when it does not resolve', async () => {
    const { run } = setup();
    await expect(run({ owner: 'group:default/ghosts' })).rejects.toThrow(
      'input.owner: Owner group:default/ghosts is not a Group in the catalog',
    );
    await expect(run({ owner: 'user:default/jane' })).rejects.toThrow(
      /^input\.owner: Owner "user:default\/jane" is not a Group/,
    );
    await expect(run({ owner: '' })).rejects.toThrow('input.owner is required');
  });

  it('honours the configured pattern', async () => {
    const { run } = setup({ pattern: compileCostCenterPattern('CC-\\d{4}') });
    await expect(
      run({ owner: 'checkout', costCenter: 'CC-1002' }),
    ).resolves.toMatchObject({ costCenter: 'CC-1002' });
  });

  it('resolves for real in dry runs', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { owner: 'fleet' },
      isDryRun: true,
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('costCenter', 'CC-2001');
    expect(action.supportsDryRun).toBe(true);
  });

  it('describes every input and output field', () => {
    const { action } = setup();
    const schema = action.schema as any;
    for (const part of [schema.input, schema.output]) {
      for (const [name, field] of Object.entries<any>(part.properties)) {
        expect([name, field.description]).toEqual([name, expect.any(String)]);
      }
    }
    expect(schema.input.required).toEqual(['owner']);
  });
});
