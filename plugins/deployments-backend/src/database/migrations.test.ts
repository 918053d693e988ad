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
    '20261210000000_deployment_runs.js keeps history as sample and allows one unfinished run per entity and environment, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({ directory: migrationsDir });
      await knex.migrate.up({ directory: migrationsDir });
      const row = (id: string, status: string) => ({
        id,
        entity_ref: 'component:default/a',
        environment: 'production',
        version: '1.0.0',
        status,
        strategy: 'canary',
        triggered_by: 'user:default/alice',
        started_at: new Date(),
        finished_at: null,
      });
      // Sample rows written before the migration, one of them in progress.
      await knex('deployments').insert([
        row('s1', 'in-progress'),
        row('s2', 'in-progress'),
      ]);

      await knex.migrate.up({ directory: migrationsDir });
      await expect(
        knex('deployments').orderBy('id').select('source', 'kind', 'attempts'),
      ).resolves.toEqual([
        { source: 'sample', kind: 'deploy', attempts: 0 },
        { source: 'sample', kind: 'deploy', attempts: 0 },
      ]);
      // Sample rows never block a real run...
      await knex('deployments').insert({
        ...row('r1', 'pending'),
        source: 'portal',
      });
      // ...but a second unfinished real run of the same entity and
      // environment is refused, while another environment is not.
      await expect(
        knex('deployments').insert({
          ...row('r2', 'in-progress'),
          source: 'portal',
        }),
      ).rejects.toBeTruthy();
      await knex('deployments').insert({
        ...row('r3', 'pending'),
        environment: 'staging',
        source: 'portal',
      });
      await knex('deployments')
        .where({ id: 'r1' })
        .update({ status: 'succeeded', finished_at: new Date() });
      await knex('deployments').insert({
        ...row('r4', 'pending'),
        source: 'portal',
      });
      await knex('deployment_stages').insert({
        deployment_id: 'r4',
        seq: 1,
        attempt: 1,
        name: 'build',
        status: 'running',
        started_at: new Date(),
      });
      await knex('deployment_logs').insert({
        deployment_id: 'r4',
        seq: 1,
        logged_at: new Date(),
        line: 'Building',
      });

      await knex.migrate.down({ directory: migrationsDir });
      await expect(knex.schema.hasTable('deployment_logs')).resolves.toBe(
        false,
      );
      await expect(
        knex.schema.hasColumn('deployments', 'source'),
      ).resolves.toBe(false);
      await expect(
        knex('deployments').orderBy('id').pluck('id'),
      ).resolves.toEqual(['r1', 'r3', 'r4', 's1', 's2']);
    },
  );

  it.each(databases.eachSupportedId())(
    '20261220000000_deployment_environments.js keeps one row per entity and environment, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const row = (entityRef: string, name: string) => ({
        entity_ref: entityRef,
        name,
        kind: 'preview',
        branch: 'feature/x',
        created_by: 'user:default/alice',
        created_at: new Date(),
        last_deployed_at: new Date(),
        expires_at: new Date(),
      });
      await knex('deployment_environments').insert([
        row('component:default/a', 'preview-feature-x'),
        row('component:default/b', 'preview-feature-x'),
      ]);
      await expect(
        knex('deployment_environments').insert(
          row('component:default/a', 'preview-feature-x'),
        ),
      ).rejects.toBeTruthy();
      await expect(
        knex('deployment_environments').select('torn_down_at', 'torn_down_by'),
      ).resolves.toEqual([
        { torn_down_at: null, torn_down_by: null },
        { torn_down_at: null, torn_down_by: null },
      ]);

      await knex.migrate.down({ directory: migrationsDir });
      await expect(
        knex.schema.hasTable('deployment_environments'),
      ).resolves.toBe(false);
      await expect(knex.schema.hasTable('deployments')).resolves.toBe(true);
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

      // Down migration by migration, to nothing.
      const count = fs.readdirSync(migrationsDir).length;
      for (let i = 0; i < count; i++) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      await expect(knex.schema.hasTable('deployments')).resolves.toBe(false);
      await expect(knex.schema.hasTable('deployment_settings')).resolves.toBe(
        false,
      );
    },
  );
});
