import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';

jest.setTimeout(60_000);

const migrationsDir = path.resolve(__dirname, '../../migrations');

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('names every migration YYYYMMDDHHmmss_name.js', () => {
    const files = fs.readdirSync(migrationsDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
    }
  });

  it.each(databases.eachSupportedId())(
    'goes up and down cleanly (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });

      await knex('paved_road_audit_events').insert({
        id: '00000000-0000-4000-8000-000000000001',
        action: 'project.created',
        outcome: 'succeeded',
        actor: 'user:default/guest',
        occurred_at: new Date(),
        summary: 'created',
        details: '{}',
        writer: 'plugin:scaffolder',
        received_at: new Date(),
      });
      const duplicate = await knex('paved_road_audit_events')
        .insert({
          id: '00000000-0000-4000-8000-000000000001',
          action: 'project.created',
          outcome: 'succeeded',
          actor: 'user:default/guest',
          occurred_at: new Date(),
          summary: 'again',
          details: '{}',
          writer: 'plugin:scaffolder',
          received_at: new Date(),
        })
        .then(
          () => undefined,
          (error: { message?: string }) => error,
        );
      expect(duplicate?.message).toMatch(/unique|duplicate/i);

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await knex.schema.hasTable('paved_road_audit_events')).toBe(false);
      await knex.destroy();
    },
  );
});
