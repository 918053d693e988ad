import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { BusinessUnitPartsSource } from '../processor/BusinessUnitParts';
import { DatabaseBusinessUnitParts } from './DatabaseBusinessUnitParts';
import {
  CATALOG_MIGRATIONS,
  insertRefreshState,
} from './__testUtils__/catalogState';

jest.setTimeout(60_000);

/** What the engine stores for an entity's processing: its state row and relations. */
async function processed(
  knex: Knex,
  entityRef: string,
  relations: { type: string; target: string }[],
) {
  const entityId = `id-${entityRef}`;
  await insertRefreshState(knex, entityRef, { errors: '[]' });
  if (!relations.length) {
    return;
  }
  await knex('relations').insert(
    relations.map(r => ({
      originating_entity_id: entityId,
      source_entity_ref: entityRef,
      type: r.type,
      target_entity_ref: r.target,
    })),
  );
}

function fallbackSource() {
  return {
    getParts: jest.fn(async () => [
      { kind: 'component', namespace: 'default', name: 'from-api' },
    ]),
  } satisfies BusinessUnitPartsSource;
}

describe('DatabaseBusinessUnitParts', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function withCatalogSchema(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: CATALOG_MIGRATIONS });
    return knex;
  }

  it.each(databases.eachSupportedId())(
    "lists the unit's parts from the catalog's relations, once each (%s)",
    async databaseId => {
      const knex = await withCatalogSchema(databaseId);
      const PAYMENTS = 'group:default/payments';
      await processed(knex, 'component:default/orders', [
        { type: 'partOfBusinessUnit', target: PAYMENTS },
        { type: 'ownedBy', target: 'group:default/checkout' },
      ]);
      await processed(knex, 'api:other/payments-api', [
        { type: 'partOfBusinessUnit', target: PAYMENTS },
      ]);
      await processed(knex, 'component:default/fleet', [
        { type: 'partOfBusinessUnit', target: 'group:default/logistics' },
      ]);
      // Another relation type to the same group is not a part.
      await processed(knex, 'user:default/ada', [
        { type: 'memberOf', target: PAYMENTS },
      ]);
      // The same relation from a second origin (e.g. a provider) counts once.
      await processed(knex, 'location:default/extra', []);
      await knex('relations').insert({
        originating_entity_id: 'id-location:default/extra',
        source_entity_ref: 'component:default/orders',
        type: 'partOfBusinessUnit',
        target_entity_ref: PAYMENTS,
      });
      const fallback = fallbackSource();
      const parts = DatabaseBusinessUnitParts.fromClient(
        knex,
        fallback,
        mockServices.logger.mock(),
      );

      // Refs are case-insensitive; the engine stores them lowercase.
      const refs = await parts.getParts('group:default/Payments');
      expect(refs.map(ref => stringifyEntityRef(ref)).sort()).toEqual([
        'api:other/payments-api',
        'component:default/orders',
      ]);
      expect(refs).toContainEqual({
        kind: 'api',
        namespace: 'other',
        name: 'payments-api',
      });
      expect(await parts.getParts('group:default/nobody')).toEqual([]);
      expect(fallback.getParts).not.toHaveBeenCalled();

      // Deleting an entity's state deletes its relations, so it stops being a part.
      await knex('refresh_state')
        .where({ entity_ref: 'api:other/payments-api' })
        .delete();
      expect(
        (await parts.getParts(PAYMENTS)).map(ref => stringifyEntityRef(ref)),
      ).toEqual(['component:default/orders']);
    },
  );

  it.each(databases.eachSupportedId())(
    'falls back to the catalog API, with one warning, when the table is not as expected (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // A catalog whose relations table lost the column this reads.
      await knex.schema.createTable('relations', table => {
        table.string('source_entity_ref');
        table.string('type');
      });
      const fallback = fallbackSource();
      const logger = mockServices.logger.mock();
      const parts = DatabaseBusinessUnitParts.fromClient(
        knex,
        fallback,
        logger,
      );

      for (let i = 0; i < 2; i++) {
        expect(await parts.getParts('group:default/payments')).toEqual([
          { kind: 'component', namespace: 'default', name: 'from-api' },
        ]);
      }
      expect(fallback.getParts).toHaveBeenCalledTimes(2);
      expect(fallback.getParts).toHaveBeenCalledWith('group:default/payments');
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('target_entity_ref'),
      );
    },
  );

  it('checks the schema again after a failed check instead of remembering the failure', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: CATALOG_MIGRATIONS });
    // knex builds a new schema builder per access: pin one, then fail it once.
    const schema = knex.schema;
    jest.spyOn(knex, 'schema', 'get').mockReturnValue(schema);
    const hasTable = jest
      .spyOn(schema, 'hasTable')
      .mockRejectedValueOnce(new Error('connection refused'));
    const fallback = fallbackSource();
    const parts = DatabaseBusinessUnitParts.fromClient(
      knex,
      fallback,
      mockServices.logger.mock(),
    );

    await expect(parts.getParts('group:default/payments')).rejects.toThrow(
      'connection refused',
    );
    expect(await parts.getParts('group:default/payments')).toEqual([]);
    expect(hasTable).toHaveBeenCalledTimes(2);
    expect(fallback.getParts).not.toHaveBeenCalled();
  });
});
