// @ts-check

/**
 * What became of each billing export file: its status, its rejected rows
 * with their line numbers, and the etag of files read through a URL reader.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('cost_ingestions', table => {
    table
      .string('etag', 1024)
      .nullable()
      .comment('Etag of the version read through the UrlReaderService');
    table
      .string('status', 16)
      .notNullable()
      .defaultTo('ingested')
      .comment(
        'ingested: this version is stored; rejected: it was refused whole and the previous rows stay',
      );
    table.integer('rejected_count').notNullable().defaultTo(0);
    table
      .text('rejected')
      .nullable()
      .comment('JSON [{ line, reason }], the first 100 rejected rows');
    table
      .timestamp('checked_at', { useTz: true })
      .nullable()
      .comment('Last run that found this version unchanged');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('cost_ingestions', table => {
    table.dropColumn('checked_at');
    table.dropColumn('rejected');
    table.dropColumn('rejected_count');
    table.dropColumn('status');
    table.dropColumn('etag');
  });
};
