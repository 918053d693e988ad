import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Knex migrations of this module, separate from the catalog's own. */
export const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@paved-road/plugin-catalog-backend-module-paved-road',
  'migrations',
);

/**
 * Bookkeeping table of this module's migrations. The module shares the
 * catalog plugin's database, so it must never use knex's default
 * `knex_migrations`, which the catalog already owns.
 */
export const MIGRATIONS_TABLE_NAME = 'paved_road_knex_migrations';

/** Options for every knex `migrate.*` call on this module's migrations. */
export const MIGRATION_CONFIG: Knex.MigratorConfig = {
  directory: MIGRATIONS_DIRECTORY,
  tableName: MIGRATIONS_TABLE_NAME,
};

/**
 * The catalog database client, with this module's tables migrated unless the
 * deployment runs migrations separately (`backend.database.skipMigrations`).
 */
export async function getMigratedClient(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest(MIGRATION_CONFIG);
  }
  return client;
}
