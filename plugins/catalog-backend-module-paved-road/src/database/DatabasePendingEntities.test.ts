import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabasePendingEntities } from './DatabasePendingEntities';
import {
  CATALOG_MIGRATIONS,
  insertRefreshState,
} from './__testUtils__/catalogState';

jest.setTimeout(60_000);

describe('DatabasePendingEntities', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'tells registered entities that have not failed processing from the rest (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: CATALOG_MIGRATIONS });
      await insertRefreshState(knex, 'group:default/new-team', { errors: '' });
      await insertRefreshState(knex, 'group:default/stored-now', {
        errors: '[]',
        processed: true,
      });
      await insertRefreshState(knex, 'group:default/broken', {
        errors: JSON.stringify([
          { name: 'InputError', message: 'spec.parent is not valid' },
        ]),
      });
      const pending = DatabasePendingEntities.fromClient(
        knex,
        mockServices.logger.mock(),
      );

      // Waiting for its first processing; refs are case-insensitive.
      expect(await pending.isPending('group:default/New-Team')).toBe(true);
      // Processed cleanly, about to be readable.
      expect(await pending.isPending('group:default/stored-now')).toBe(true);
      // Its processing failed: it will not arrive by itself.
      expect(await pending.isPending('group:default/broken')).toBe(false);
      // Not registered at all.
      expect(await pending.isPending('group:default/ghosts')).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'answers false until the catalog has created its tables, then reads them (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const pending = DatabasePendingEntities.fromClient(
        knex,
        mockServices.logger.mock(),
      );
      expect(await pending.isPending('group:default/new-team')).toBe(false);

      await knex.migrate.latest({ directory: CATALOG_MIGRATIONS });
      await insertRefreshState(knex, 'group:default/new-team', { errors: '' });
      expect(await pending.isPending('group:default/new-team')).toBe(true);
    },
  );

  it('answers false, with one warning, when the table is not as expected', async () => {
    const knex = await databases.init('SQLITE_3');
    // A catalog whose refresh_state lost the column this reads.
    await knex.schema.createTable('refresh_state', table => {
      table.string('entity_ref');
    });
    await knex('refresh_state').insert({ entity_ref: 'group:default/x' });
    const logger = mockServices.logger.mock();
    const pending = DatabasePendingEntities.fromClient(knex, logger);

    for (let i = 0; i < 2; i++) {
      expect(await pending.isPending('group:default/x')).toBe(false);
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('errors'));
  });
});
