// @ts-check

/**
 * Ownership and cost-center problems of catalog entities, as the Paved Road
 * processor last saw them. Entities without problems have no row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_road_entity_hygiene', table => {
    table.comment(
      'Entities whose owner or cost center is missing or invalid (Paved Road)',
    );
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('As the catalog stores it, e.g. component:default/x');
    table.string('kind', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 255).nullable();
    table.string('owner', 255).nullable();
    table
      .string('business_unit', 255)
      .nullable()
      .comment('Business-unit Group ref, null when the owner resolves to none');
    table.string('cost_center', 255).nullable();
    table
      .text('problems')
      .notNullable()
      .comment('JSON array of { code, message }');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['business_unit'],
      'paved_road_entity_hygiene_business_unit_idx',
    );
    table.index(['updated_at'], 'paved_road_entity_hygiene_updated_at_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_road_entity_hygiene');
};
