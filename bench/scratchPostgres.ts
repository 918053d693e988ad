import knexFactory, { Knex } from 'knex';

/**
 * Runs `fn` against a throw-away PostgreSQL database made on the server of
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING and dropped afterwards,
 * even when `fn` fails. Returns false (and says so) when none is configured.
 */
export async function withScratchPostgres(
  prefix: string,
  fn: (pg: Knex) => Promise<void>,
): Promise<boolean> {
  const connection =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connection) {
    console.log(
      'PostgreSQL skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
    );
    return false;
  }
  const name = `${prefix}_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
    const url = new URL(connection);
    url.pathname = `/${name}`;
    const pg = knexFactory({ client: 'pg', connection: url.toString() });
    try {
      await fn(pg);
    } finally {
      await pg.destroy();
      await admin
        .raw('DROP DATABASE IF EXISTS ??', [name])
        .catch(e => console.error(`drop failed: ${e}`));
    }
  } finally {
    await admin.destroy();
  }
  return true;
}
