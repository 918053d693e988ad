import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogHygieneReporter } from './CatalogHygieneReporter';

const UNIT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'payments',
    annotations: { 'paved-road.io/cost-centers': 'CC-1001' },
  },
  spec: { type: 'business-unit', children: [] },
};
const TEAM = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout' },
  spec: { type: 'team', parent: 'payments', children: [] },
};
const BROKEN = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'legacy-billing',
    annotations: {
      'paved-road.io/cost-center': 'CC-2001',
      'backstage.io/managed-by-location': 'url:https://git.example/x.yaml',
    },
  },
  spec: { owner: 'checkout' },
  status: {
    items: [
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message:
          'InputError: metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001)',
        error: {
          name: 'InputError',
          message:
            'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001)',
        },
      },
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message: 'Error: Unable to read url',
        error: { name: 'Error', message: 'Unable to read url' },
      },
    ],
  },
};

function setup(listNeverStored: () => Promise<any[]>) {
  let now = new Date('2026-12-01T10:00:00Z');
  const catalog = catalogServiceMock({ entities: [UNIT, TEAM, BROKEN] });
  const stream = jest.spyOn(catalog, 'streamEntities');
  const logger = mockServices.logger.mock();
  const reporter = new CatalogHygieneReporter({
    catalog,
    auth: mockServices.auth(),
    unprocessed: { listNeverStored: jest.fn(listNeverStored) },
    logger,
    cacheTtlMs: 5000,
    now: () => now,
  });
  return {
    reporter,
    stream,
    logger,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('CatalogHygieneReporter', () => {
  it('keeps only Paved Road problems and resolves the business unit through the owner chain', async () => {
    const { reporter } = setup(async () => []);
    expect(await reporter.getReport()).toEqual({
      groups: [
        {
          businessUnit: 'group:default/payments',
          items: [
            {
              entityRef: 'component:default/legacy-billing',
              title: 'legacy-billing',
              owner: 'checkout',
              costCenter: 'CC-2001',
              problems: [
                {
                  code: 'cost-center-not-in-business-unit',
                  message: expect.stringMatching(
                    /^metadata\.annotations\.paved-road\.io\/cost-center: /,
                  ),
                },
              ],
              updatedAt: '2026-12-01T10:00:00.000Z',
              inCatalog: true,
              source: 'url:https://git.example/x.yaml',
            },
          ],
        },
      ],
    });
  });

  it('serves the computed report for its time to live, sharing one computation', async () => {
    const { reporter, stream, advance } = setup(async () => []);
    await Promise.all([reporter.getReport(), reporter.getReport()]);
    expect(stream).toHaveBeenCalledTimes(1);
    advance(4000);
    await reporter.getReport();
    expect(stream).toHaveBeenCalledTimes(1);
    advance(2000);
    await reporter.getReport();
    expect(stream).toHaveBeenCalledTimes(2);
  });

  it('still lists stored entities when the catalog lacks the unprocessed module, and says so once', async () => {
    const { reporter, logger, advance } = setup(async () => {
      throw new NotFoundError(
        'The catalog does not serve unprocessed entities',
      );
    });
    expect((await reporter.getReport()).groups).toHaveLength(1);
    advance(10_000);
    await reporter.getReport();
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('fails rather than serving a partial list when the catalog errs', async () => {
    const { reporter } = setup(async () => {
      throw new Error('catalog answered 500');
    });
    await expect(reporter.getReport()).rejects.toThrow('catalog answered 500');
  });
});
