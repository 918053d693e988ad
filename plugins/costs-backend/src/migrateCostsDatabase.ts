import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-costs-backend',
  'migrations',
);

/**
 * The plugin's client, migrated to the latest schema unless migrations are
 * skipped. Every store of the plugin shares one migrations directory, so
 * whichever store is created first migrates for all; later calls find
 * nothing to do. Call them one after another, not in parallel.
 */
export async function migrateCostsDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}
