// @ts-check

/**
 * Billing line items and the export files they came from.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cost_ingestions', table => {
    table.comment(
      'One row per billing export file ingested; its hash lets unchanged files be skipped',
    );
    table.string('source_id', 255).notNullable();
    table
      .string('file_path', 1024)
      .notNullable()
      .comment('Path relative to the configured source path');
    table.string('file_sha256', 64).notNullable();
    table.integer('row_count').notNullable();
    table.timestamp('ingested_at', { useTz: true }).notNullable();
    table.unique(['source_id', 'file_path'], {
      indexName: 'cost_ingestions_source_id_file_path_uniq',
    });
  });

  await knex.schema.createTable('cost_line_items', table => {
    table.comment('Billing export rows, one per charge, allocated by tags');
    table.string('source_id', 255).notNullable();
    table
      .string('row_key', 64)
      .notNullable()
      .comment('sha256 of the row content, so a charge is stored once');
    table
      .string('file_path', 1024)
      .notNullable()
      .comment('The file the row came from, replaced as a whole on re-ingest');
    table
      .string('charge_date', 10)
      .notNullable()
      .comment('UTC day of ChargePeriodStart, YYYY-MM-DD');
    table
      .string('entity_ref', 255)
      .nullable()
      .comment('From the paved-road.io/service tag; null when unallocated');
    table
      .string('cost_center', 64)
      .nullable()
      .comment('From the paved-road.io/cost-center tag');
    table.string('charge_category', 64).nullable();
    table.text('service_name').nullable();
    table.text('resource_id').nullable();
    // decimal, not float: sums of many small charges must not drift
    table.decimal('amount', 18, 6).notNullable();
    table.string('currency', 3).notNullable();
    table.unique(['source_id', 'row_key'], {
      indexName: 'cost_line_items_source_id_row_key_uniq',
    });
    table.index(
      ['entity_ref', 'charge_date'],
      'cost_line_items_entity_ref_charge_date_idx',
    );
    table.index(
      ['source_id', 'file_path'],
      'cost_line_items_source_id_file_path_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_line_items');
  await knex.schema.dropTable('cost_ingestions');
};
