import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseHygieneStore } from './DatabaseHygieneStore';
import { EntityHygiene } from './HygieneStore';
import { MIGRATION_CONFIG } from './migrations';

jest.setTimeout(60_000);

function hygiene(
  name: string,
  problems: EntityHygiene['problems'],
  extra: Partial<EntityHygiene> = {},
): EntityHygiene {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    title: null,
    owner: 'group:default/checkout',
    businessUnit: 'group:default/payments',
    costCenter: 'CC-2001',
    problems,
    ...extra,
  };
}

const WRONG_CC = {
  code: 'cost-center-not-in-business-unit' as const,
  message:
    'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
};
const NO_OWNER = {
  code: 'missing-owner' as const,
  message: 'spec.owner: no owner is set',
};

const T0 = new Date('2026-11-22T10:00:00.000Z');
const T1 = new Date('2026-11-22T10:05:00.000Z');

describe('DatabaseHygieneStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATION_CONFIG);
    return { knex, store: DatabaseHygieneStore.fromClient(knex) };
  }

  // The catalog's table of registered entities, reduced to what is read.
  async function createRefreshState(
    knex: Knex,
    refs: string[],
    neverProcessed: string[] = [],
  ) {
    await knex.schema.createTable('refresh_state', t => {
      t.string('entity_ref').primary();
      t.text('processed_entity').nullable();
      t.text('location_key').nullable();
    });
    const rows = [
      ...refs.map(entity_ref => ({
        entity_ref,
        processed_entity: '{}',
        location_key: null,
      })),
      ...neverProcessed.map(entity_ref => ({
        entity_ref,
        processed_entity: null,
        location_key: 'url:https://git.example/billing/catalog-info.yaml',
      })),
    ];
    if (rows.length) {
      await knex('refresh_state').insert(rows);
    }
  }

  it.each(databases.eachSupportedId())(
    'upserts entities with problems and deletes the ones that became clean (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);

      await store.apply(
        [
          hygiene('legacy-billing', [WRONG_CC], { title: 'Legacy Billing' }),
          hygiene('orphan', [NO_OWNER], {
            owner: null,
            businessUnit: null,
            costCenter: null,
          }),
          hygiene('orders-service', []),
        ],
        T0,
      );
      expect(await store.list()).toEqual([
        {
          ...hygiene('legacy-billing', [WRONG_CC], { title: 'Legacy Billing' }),
          updatedAt: T0,
          inCatalog: true,
          source: null,
        },
        {
          ...hygiene('orphan', [NO_OWNER], {
            owner: null,
            businessUnit: null,
            costCenter: null,
          }),
          updatedAt: T0,
          inCatalog: true,
          source: null,
        },
      ]);

      // Next cycle: legacy-billing still wrong (timestamp moves), orphan fixed.
      await store.apply(
        [
          hygiene('legacy-billing', [WRONG_CC, NO_OWNER]),
          hygiene('orphan', []),
        ],
        T1,
      );
      const rows = await store.list();
      expect(rows).toEqual([
        {
          ...hygiene('legacy-billing', [WRONG_CC, NO_OWNER]),
          updatedAt: T1,
          inCatalog: true,
          source: null,
        },
      ]);
      expect(await store.listRefs()).toEqual([
        'component:default/legacy-billing',
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'caps author-written values to the column size (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.apply(
        [hygiene('garbage', [WRONG_CC], { costCenter: 'X'.repeat(1000) })],
        T0,
      );
      const [row] = await store.list();
      expect(row.costCenter).toHaveLength(255);
      expect(row.costCenter!.endsWith('…')).toBe(true);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists only entities registered in the catalog once its tables exist (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.apply(
        [
          hygiene('legacy-billing', [WRONG_CC]),
          hygiene('validated-only', [WRONG_CC]),
        ],
        T0,
      );
      // Before the catalog has migrated, nothing can be checked.
      expect((await store.list()).map(r => r.name)).toEqual([
        'legacy-billing',
        'validated-only',
      ]);

      await createRefreshState(knex, ['component:default/legacy-billing']);
      expect((await store.list()).map(r => r.name)).toEqual(['legacy-billing']);
      // The recorder's view is every row: a clean verdict must delete it.
      expect((await store.listRefs()).sort()).toEqual([
        'component:default/legacy-billing',
        'component:default/validated-only',
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'tells entities the catalog stores from ones that never processed cleanly, with their source (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.apply(
        [
          hygiene('broke-later', [WRONG_CC]),
          hygiene('never-clean', [WRONG_CC]),
        ],
        T0,
      );
      await createRefreshState(
        knex,
        ['component:default/broke-later'],
        ['component:default/never-clean'],
      );
      const listed = await store.list();
      expect(
        listed.map(({ name, inCatalog, source }) => ({
          name,
          inCatalog,
          source,
        })),
      ).toEqual([
        { name: 'broke-later', inCatalog: true, source: null },
        {
          name: 'never-clean',
          inCatalog: false,
          source: 'url:https://git.example/billing/catalog-info.yaml',
        },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes old rows of entities that left the catalog, keeps registered ones (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.apply(
        [
          hygiene('registered-old', [WRONG_CC]),
          hygiene('gone-old', [WRONG_CC]),
        ],
        T0,
      );
      await store.apply([hygiene('gone-recent', [WRONG_CC])], T1);
      await createRefreshState(knex, ['component:default/registered-old']);

      const cutoff = new Date(T0.getTime() + 60_000);
      expect(await store.prune({ updatedBefore: cutoff })).toBe(1);
      const left = await knex('paved_road_entity_hygiene')
        .select('name')
        .orderBy('name');
      expect(left.map(r => r.name)).toEqual(['gone-recent', 'registered-old']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes by age alone where the catalog tables are absent (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.apply([hygiene('old', [WRONG_CC])], T0);
      await store.apply([hygiene('recent', [WRONG_CC])], T1);
      expect(
        await store.prune({ updatedBefore: new Date(T0.getTime() + 1) }),
      ).toBe(1);
      expect((await store.list()).map(r => r.name)).toEqual(['recent']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'writes large batches in chunks (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      const many = Array.from({ length: 450 }, (_, i) =>
        hygiene(`svc-${String(i).padStart(3, '0')}`, [WRONG_CC]),
      );
      await store.apply(many, T0);
      expect(await store.list()).toHaveLength(450);
      await store.apply(
        many.map(h => ({ ...h, problems: [] })),
        T1,
      );
      expect(await store.list()).toEqual([]);
      await knex.destroy();
    },
  );
});
