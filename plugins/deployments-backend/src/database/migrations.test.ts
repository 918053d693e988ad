import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-deployments-backend',
  'migrations',
);

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('are named YYYYMMDDHHmmss_name.js', () => {
    for (const file of fs.readdirSync(migrationsDir)) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
    }
  });

  it.each(databases.eachSupportedId())(
    '20261201000000_settings_commits.js migrates up and down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ directory: migrationsDir });
      // A sample row written before the migration.
      await knex('deployment_settings').insert({
        entity_ref: 'component:default/a',
        version: 1,
        settings: '{}',
        created_by: 'user:default/alice',
        created_at: new Date(),
      });

      await knex.migrate.up({ directory: migrationsDir });
      await expect(
        knex('deployment_settings').select('source', 'commit_sha', 'message'),
      ).resolves.toEqual([
        { source: 'sample', commit_sha: null, message: null },
      ]);
      await knex('deployment_projects').insert({
        entity_ref: 'component:default/a',
        repo_url: 'http://localhost:7007/api/local-git/a.git',
      });
      await expect(
        knex('deployment_projects').select('deactivated'),
      ).resolves.toEqual([{ deactivated: expect.anything() }]);

      await knex.migrate.down({ directory: migrationsDir });
      await expect(knex.schema.hasTable('deployment_projects')).resolves.toBe(
        false,
      );
      await expect(
        knex.schema.hasColumn('deployment_settings', 'commit_sha'),
      ).resolves.toBe(false);
      await expect(
        knex('deployment_settings').pluck('version'),
      ).resolves.toEqual([1]);
    },
  );

  it.each(databases.eachSupportedId())(
    'all migrations run up and down, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await knex.migrate.latest({ directory: migrationsDir });
      await expect(knex.schema.hasTable('deployments')).resolves.toBe(true);
      await expect(knex.schema.hasTable('deployment_settings')).resolves.toBe(
        true,
      );

      await knex('deployment_settings').insert({
        entity_ref: 'component:default/a',
        version: 1,
        settings: '{}',
        created_by: 'user:default/alice',
        created_at: new Date(),
      });
      // The composite primary key keeps a settings version from being
      // written twice. (SQLite's native error is not a jest-realm Error, hence
      // toBeTruthy rather than toThrow.)
      await expect(
        knex('deployment_settings').insert({
          entity_ref: 'component:default/a',
          version: 1,
          settings: '{}',
          created_by: 'user:default/bob',
          created_at: new Date(),
        }),
      ).rejects.toBeTruthy();
      await expect(
        knex('deployment_settings').pluck('created_by'),
      ).resolves.toEqual(['user:default/alice']);

      await knex('deployments').insert({
        id: 'd1',
        entity_ref: 'component:default/a',
        environment: 'production',
        version: '1.0.0',
        status: 'in-progress',
        strategy: 'canary',
        triggered_by: 'user:default/alice',
        started_at: new Date(),
        finished_at: null,
      });
      await expect(knex('deployments').pluck('id')).resolves.toEqual(['d1']);

      // Down to the first migration, then nothing.
      await knex.migrate.down({ directory: migrationsDir });
      await knex.migrate.down({ directory: migrationsDir });
      await expect(knex.schema.hasTable('deployments')).resolves.toBe(false);
      await expect(knex.schema.hasTable('deployment_settings')).resolves.toBe(
        false,
      );
    },
  );
});
