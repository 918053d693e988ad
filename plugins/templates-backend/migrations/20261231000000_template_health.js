// @ts-check

/**
 * Template health: the scaffolder's finished tasks as the collector copied
 * them, the catalog's templates and the projects made from them (with their
 * latest deployment outcome), users' reports and the templates' own test
 * results. Figures are SQL over these rows.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('template_health_tasks', table => {
    table.comment('Finished scaffolder tasks, copied from the scaffolder API');
    table.string('task_id', 255).primary();
    table.string('template_ref', 255).notNullable();
    table
      .string('template_version', 255)
      .notNullable()
      .comment("The template's backstage.io/template-version, or unversioned");
    table
      .string('status', 32)
      .notNullable()
      .comment('completed | failed | cancelled');
    table.string('created_by', 255).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .bigInteger('duration_ms')
      .nullable()
      .comment('From creation to the completion event');
    table
      .string('failed_step', 255)
      .nullable()
      .comment('The step whose failure ended the task');
    table.index(
      ['template_ref', 'template_version'],
      'template_health_tasks_template_ref_template_version_idx',
    );
    table.index(['created_at'], 'template_health_tasks_created_at_idx');
  });

  await knex.schema.createTable('template_health_templates', table => {
    table.comment('Templates in the catalog at the last collection');
    table.string('template_ref', 255).primary();
    table.string('title', 255).nullable();
    table.string('latest_version', 255).nullable();
  });

  await knex.schema.createTable('template_health_projects', table => {
    table.comment(
      'Catalog entities made from a template, at the last collection',
    );
    table.string('entity_ref', 255).primary();
    table.string('template_ref', 255).notNullable();
    table.string('template_version', 255).notNullable();
    table
      .string('deployment_status', 32)
      .nullable()
      .comment('Status of its latest finished deployment; null: none');
    table.index(['template_ref'], 'template_health_projects_template_ref_idx');
  });

  await knex.schema.createTable('template_health_reports', table => {
    table.comment('Problems users reported with a template version');
    table.string('id', 36).primary();
    table.string('template_ref', 255).notNullable();
    table.string('template_version', 255).notNullable();
    table.string('entity_ref', 255).nullable();
    table.text('message').notNullable();
    table.string('reported_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['template_ref', 'created_at'],
      'template_health_reports_template_ref_created_at_idx',
    );
  });

  await knex.schema.createTable('template_health_checks', table => {
    table.comment('Results of the templates own tests, posted by CI');
    table.string('id', 36).primary();
    table.string('template_ref', 255).notNullable();
    table.string('template_version', 255).notNullable();
    table.string('name', 255).notNullable();
    table.string('status', 16).notNullable().comment('passed | failed');
    table.string('url', 2000).nullable();
    table.string('reported_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['template_ref', 'template_version', 'name', 'created_at'],
      // PostgreSQL cuts names at 63 characters: the columns, abbreviated.
      'template_health_checks_ref_version_name_created_idx',
    );
  });

  await knex.schema.createTable('template_health_collections', table => {
    table.comment('When the collector last finished');
    table.string('id', 36).primary();
    table.timestamp('collected_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('template_health_collections');
  await knex.schema.dropTable('template_health_checks');
  await knex.schema.dropTable('template_health_reports');
  await knex.schema.dropTable('template_health_projects');
  await knex.schema.dropTable('template_health_templates');
  await knex.schema.dropTable('template_health_tasks');
};
