// @ts-check

/**
 * Who created which project from which template, with which owner and cost
 * center. Written once per scaffolder task, never updated.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_road_project_audit', table => {
    table.comment('Projects created through Paved Road templates');
    table
      .string('task_id', 255)
      .primary()
      .notNullable()
      .comment('Scaffolder task id: a retried step records nothing new');
    table.string('created_by', 255).notNullable().comment('User entity ref');
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

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_road_project_audit');
};
