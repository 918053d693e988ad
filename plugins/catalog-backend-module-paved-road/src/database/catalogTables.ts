import { Knex } from 'knex';

/** How one of the catalog's own tables looks to a reader of some columns. */
export type CatalogTableShape = 'absent' | 'as-expected' | 'changed';

/**
 * Whether a table of the catalog's (not a public API) exists and has the
 * columns a reader needs, so a catalog upgrade that changes it is noticed
 * instead of failing queries.
 */
export async function checkCatalogTable(
  client: Knex,
  table: string,
  columns: string[],
): Promise<CatalogTableShape> {
  // A schema builder queues every call made on it: one per question.
  if (!(await client.schema.hasTable(table))) {
    return 'absent';
  }
  const present = await Promise.all(
    columns.map(column => client.schema.hasColumn(table, column)),
  );
  return present.every(Boolean) ? 'as-expected' : 'changed';
}
