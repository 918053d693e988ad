import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';

jest.setTimeout(60_000);

const migrationsDir = path.resolve(__dirname, '../../migrations');
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(f => f.endsWith('.js'))
  .sort();

async function migrateUntil(knex: Knex, file: string) {
  await knex.migrate.up({ directory: migrationsDir, name: file });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('names every migration YYYYMMDDHHmmss_name.js', () => {
    expect(migrationFiles.length).toBeGreaterThan(0);
    for (const file of migrationFiles) {
      expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
    }
  });

  it.each(databases.eachSupportedId())(
    '20261122000000_init.js goes up and down cleanly (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await migrateUntil(knex, '20261122000000_init.js');
      await knex('cost_line_items').insert({
        source_id: 'aws',
        row_key: 'k1',
        file_path: 'nov.csv',
        charge_date: '2026-11-01',
        entity_ref: 'component:default/orders-service',
        cost_center: 'CC-1001',
        amount: '0.123456',
        currency: 'EUR',
      });
      // Not rejects.toThrow(): better-sqlite3 errors can come from another
      // Jest realm and fail instanceof Error
      const duplicate = await knex('cost_line_items')
        .insert({
          source_id: 'aws',
          row_key: 'k1',
          file_path: 'other.csv',
          charge_date: '2026-11-01',
          amount: '1',
          currency: 'EUR',
        })
        .then(
          () => undefined,
          (error: { message?: string }) => error,
        );
      expect(duplicate?.message).toMatch(/unique|duplicate/i);
      await knex('cost_ingestions').insert({
        source_id: 'aws',
        file_path: 'nov.csv',
        file_sha256: 'a'.repeat(64),
        row_count: 1,
        ingested_at: new Date(),
      });
      const [row] = await knex('cost_line_items').select('amount');
      expect(Number(row.amount)).toBe(0.123456);

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('cost_line_items')).toBe(false);
      expect(await knex.schema.hasTable('cost_ingestions')).toBe(false);

      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    '20261207100000_ingestion_status.js adds the status columns and drops them (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUntil(knex, '20261122000000_init.js');
      await knex('cost_ingestions').insert({
        source_id: 'aws',
        file_path: 'nov.csv',
        file_sha256: 'a'.repeat(64),
        row_count: 1,
        ingested_at: new Date(),
      });

      await migrateUntil(knex, '20261207100000_ingestion_status.js');
      // Files ingested before the migration read as ingested, nothing rejected
      expect(
        await knex('cost_ingestions')
          .select('status', 'rejected_count', 'rejected', 'etag', 'checked_at')
          .first(),
      ).toEqual({
        status: 'ingested',
        rejected_count: 0,
        rejected: null,
        etag: null,
        checked_at: null,
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasColumn('cost_ingestions', 'status')).toBe(
        false,
      );
      // ...keeping the files recorded
      expect(
        Number((await knex('cost_ingestions').count({ n: '*' }))[0].n),
      ).toBe(1);
      await knex.destroy();
    },
  );
});
