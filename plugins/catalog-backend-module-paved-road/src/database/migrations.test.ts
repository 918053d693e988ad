import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATION_CONFIG, MIGRATIONS_TABLE_NAME } from './migrations';

jest.setTimeout(60_000);

const migrationFiles = fs
  .readdirSync(path.resolve(__dirname, '../../migrations'))
  .filter(f => f.endsWith('.js'))
  .sort();

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('names every migration YYYYMMDDHHmmss_name.js', () => {
    expect(migrationFiles).toEqual([
      '20261122120000_entity_hygiene.js',
      '20261122120100_project_audit.js',
      '20261201120000_drop_hygiene_and_project_audit.js',
    ]);
  });

  it.each(databases.eachSupportedId())(
    'go up and down without touching the catalog migrations (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      // Stands in for the catalog's own bookkeeping in the shared database.
      await knex.schema.createTable('knex_migrations', t => {
        t.increments('id');
        t.string('name');
      });
      await knex('knex_migrations').insert({ name: '20200511_catalog.js' });

      // As a deployment that ran the earlier two: rows of the old tables
      await knex.migrate.up(MIGRATION_CONFIG);
      await knex.migrate.up(MIGRATION_CONFIG);
      await knex('paved_road_entity_hygiene').insert({
        entity_ref: 'component:default/x',
        kind: 'Component',
        namespace: 'default',
        name: 'x',
        problems: '[]',
        updated_at: new Date(),
      });

      // The tables moved to paved-road-backend: the latest drops them
      await knex.migrate.latest(MIGRATION_CONFIG);
      expect(await knex.schema.hasTable('paved_road_entity_hygiene')).toBe(
        false,
      );
      expect(await knex.schema.hasTable('paved_road_project_audit')).toBe(
        false,
      );
      const ours = await knex(MIGRATIONS_TABLE_NAME).select('name');
      expect(ours.map(r => r.name).sort()).toEqual(migrationFiles);
      const theirs = await knex('knex_migrations').select('name');
      expect(theirs.map(r => r.name)).toEqual(['20200511_catalog.js']);

      // Down recreates them empty, then each earlier one goes down cleanly
      await knex.migrate.down(MIGRATION_CONFIG);
      expect(await knex('paved_road_entity_hygiene')).toEqual([]);
      expect(await knex('paved_road_project_audit')).toEqual([]);
      await knex.migrate.down(MIGRATION_CONFIG);
      expect(await knex.schema.hasTable('paved_road_project_audit')).toBe(
        false,
      );
      await knex.migrate.down(MIGRATION_CONFIG);
      expect(await knex.schema.hasTable('paved_road_entity_hygiene')).toBe(
        false,
      );
      const untouched = await knex('knex_migrations').select('name');
      expect(untouched.map(r => r.name)).toEqual(['20200511_catalog.js']);
      await knex.destroy();
    },
  );
});
