// @ts-check

/**
 * The hygiene list and the project audit moved to paved-road-backend: the
 * hygiene list is derived from the catalog's own processing errors, and
 * projects are `project.created` events of the one audit trail. Rows here
 * are not carried over (hygiene is recomputed; project records written
 * before the move stay only in backups).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.dropTableIfExists('paved_road_entity_hygiene');
  await knex.schema.dropTableIfExists('paved_road_project_audit');
};

/**
 * Recreates both tables, empty, as the earlier migrations made them.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.createTable('paved_road_entity_hygiene', table => {
    table.comment(
      'Entities whose owner or cost center is missing or invalid (Paved Road)',
    );
    table.string('entity_ref', 255).primary().notNullable();
    table.string('kind', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('title', 255).nullable();
    table.string('owner', 255).nullable();
    table.string('business_unit', 255).nullable();
    table.string('cost_center', 255).nullable();
    table.text('problems').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['business_unit'],
      'paved_road_entity_hygiene_business_unit_idx',
    );
    table.index(['updated_at'], 'paved_road_entity_hygiene_updated_at_idx');
  });
  await knex.schema.createTable('paved_road_project_audit', table => {
    table.comment('Projects created through Paved Road templates');
    table.string('task_id', 255).primary().notNullable();
    table.string('created_by', 255).notNullable();
    table.string('template_ref', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).notNullable();
    table.string('business_unit', 255).nullable();
    table.string('cost_center', 255).notNullable();
    table.string('repo_url', 2048).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_ref'], 'paved_road_project_audit_entity_ref_idx');
    table.index(['created_by'], 'paved_road_project_audit_created_by_idx');
    table.index(['created_at'], 'paved_road_project_audit_created_at_idx');
  });
};
