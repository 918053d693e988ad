import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
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

// A clean project, filed under its business unit by annotation
const PROJECT = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    title: 'Orders',
    annotations: {
      'paved-road.io/cost-center': 'CC-1001',
      'paved-road.io/business-unit': 'group:default/payments',
      'backstage.io/managed-by-location':
        'url:http://localhost:7007/api/local-git/orders-service/raw/main/catalog-info.yaml',
    },
  },
  spec: { owner: 'checkout' },
};
// Stored in `warn` enforcement: its problems are on the processor's
// annotation, not processing errors
const WARNED = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'stray-job',
    annotations: {
      'paved-road.io/ownership-problems': JSON.stringify([
        'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
        'not a Paved Road message',
      ]),
    },
  },
  spec: { owner: 'ghosts' },
};
// A kind the hygiene stream does not read
const WEBSITE = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Website',
  metadata: { name: 'shop', annotations: {} },
  spec: { owner: 'checkout' },
};

function settingsError(entityRef: string, field = 'spec.replicas') {
  return {
    entityRef,
    message: `deploy/paved-road.yaml at 1a2b3c4d5e6f: ${field}: Too small: expected number to be >=1`,
    commitSha: `1a2b3c4d5e6f${'0'.repeat(28)}`,
    detectedAt: '2026-11-30T08:00:00.000Z',
  };
}

function setup(
  listNeverStored: () => Promise<any[]>,
  listSettingsErrors: () => Promise<
    ReturnType<typeof settingsError>[]
  > = async () => [],
  extraEntities: Entity[] = [],
) {
  let now = new Date('2026-12-01T10:00:00Z');
  const catalog = catalogServiceMock({
    entities: [UNIT, TEAM, BROKEN, PROJECT, WEBSITE, ...extraEntities],
  });
  const stream = jest.spyOn(catalog, 'streamEntities');
  const logger = mockServices.logger.mock();
  const reporter = new CatalogHygieneReporter({
    catalog,
    auth: mockServices.auth(),
    unprocessed: { listNeverStored: jest.fn(listNeverStored) },
    settingsErrors: { listSettingsErrors: jest.fn(listSettingsErrors) },
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
                  severity: 'error',
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

  it('lists the problems a stored entity carries as warnings, with severity warning', async () => {
    const { reporter } = setup(
      async () => [],
      async () => [],
      [WARNED],
    );
    const { groups } = await reporter.getReport();
    expect(groups.map(g => g.businessUnit)).toEqual([
      'group:default/payments',
      null,
    ]);
    expect(groups[0].items[0].problems).toEqual([
      expect.objectContaining({ severity: 'error' }),
    ]);
    expect(groups[1].items).toEqual([
      {
        entityRef: 'component:default/stray-job',
        title: 'stray-job',
        owner: 'ghosts',
        costCenter: null,
        problems: [
          {
            code: 'unknown-owner',
            severity: 'warning',
            message:
              'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
          },
        ],
        updatedAt: '2026-12-01T10:00:00.000Z',
        inCatalog: true,
        source: null,
      },
    ]);
  });

  it('ignores an ownership-problems annotation that is not a JSON list', async () => {
    const junk = structuredClone(WARNED);
    junk.metadata.annotations['paved-road.io/ownership-problems'] = 'oops{';
    const { reporter } = setup(
      async () => [],
      async () => [],
      [junk],
    );
    const { groups } = await reporter.getReport();
    expect(groups.map(g => g.businessUnit)).toEqual(['group:default/payments']);
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

  describe('invalid deployment settings', () => {
    const problem = (entityRef: string, field?: string) => {
      const { message, commitSha, detectedAt } = settingsError(
        entityRef,
        field,
      );
      return {
        code: 'invalid-deployment-settings',
        severity: 'error',
        message,
        commitSha,
        detectedAt,
      };
    };

    it('adds a problem to an entity already listed', async () => {
      const { reporter } = setup(
        async () => [],
        async () => [settingsError('component:default/legacy-billing')],
      );
      const { groups } = await reporter.getReport();
      expect(groups).toHaveLength(1);
      expect(groups[0].items).toHaveLength(1);
      expect(groups[0].items[0].problems).toEqual([
        expect.objectContaining({ code: 'cost-center-not-in-business-unit' }),
        problem('component:default/legacy-billing'),
      ]);
    });

    it('lists a clean entity under its business unit, and a kind the stream leaves out under its owner’s', async () => {
      const { reporter } = setup(
        async () => [],
        async () => [
          settingsError('component:default/orders-service'),
          settingsError('website:default/shop', 'spec.rollout.strategy'),
          // Gone from the catalog: nothing left to fix
          settingsError('component:default/deleted-service'),
        ],
      );
      const { groups } = await reporter.getReport();
      expect(groups).toEqual([
        {
          businessUnit: 'group:default/payments',
          items: [
            expect.objectContaining({
              entityRef: 'component:default/legacy-billing',
            }),
            {
              entityRef: 'component:default/orders-service',
              title: 'Orders',
              owner: 'checkout',
              costCenter: 'CC-1001',
              problems: [problem('component:default/orders-service')],
              updatedAt: '2026-12-01T10:00:00.000Z',
              inCatalog: true,
              source:
                'url:http://localhost:7007/api/local-git/orders-service/raw/main/catalog-info.yaml',
            },
            expect.objectContaining({
              entityRef: 'website:default/shop',
              owner: 'checkout',
              inCatalog: true,
              problems: [
                problem('website:default/shop', 'spec.rollout.strategy'),
              ],
            }),
          ],
        },
      ]);
      expect(JSON.stringify(groups)).not.toContain('deleted-service');
    });

    it('still lists the catalog problems without the deployments plugin, and says so once', async () => {
      const { reporter, logger, advance } = setup(
        async () => [],
        async () => {
          throw new NotFoundError('The deployments plugin is not installed');
        },
      );
      expect((await reporter.getReport()).groups).toHaveLength(1);
      advance(10_000);
      expect((await reporter.getReport()).groups).toHaveLength(1);
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('The deployments plugin is not installed'),
      );
    });

    it('fails rather than hiding the problems when the deployments plugin errs', async () => {
      const { reporter } = setup(
        async () => [],
        async () => {
          throw new Error('deployments answered 500');
        },
      );
      await expect(reporter.getReport()).rejects.toThrow(
        'deployments answered 500',
      );
    });
  });
});
