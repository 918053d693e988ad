import { TestDatabases } from '@backstage/backend-test-utils';
import path from 'node:path';

jest.setTimeout(60_000);

const migrationsDir = path.resolve(__dirname, '../migrations');
const MIGRATION = '20261207200000_rollups_budgets.js';
const TABLES = [
  'cost_entity_dimensions',
  'cost_center_dimensions',
  'cost_dimensions_refresh',
  'cost_budgets',
  'cost_budget_history',
  'cost_budget_alerts',
];

describe('migration 20261207200000_rollups_budgets', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'goes up and down cleanly (%s)',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
      const alert = {
        scope: 'cost-center',
        budget_key: 'CC-1001',
        period: '2026-04',
        kind: 'forecast-over',
        details: '{}',
        created_at: new Date(),
      };
      await knex('cost_budget_alerts').insert(alert);
      // The key every replica races for: a second insert must fail
      const second = await knex('cost_budget_alerts')
        .insert(alert)
        .then(
          () => 'inserted',
          () => 'refused',
        );
      expect(second).toBe('refused');

      // Down to just before this migration, and up again
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        MIGRATION.slice(0, 14)
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      for (const table of TABLES) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('cost_budgets')).toBe(true);
      await knex.destroy();
    },
  );
});
