// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Settings are append-only: every change adds a version, so the history of
  // who changed what stays available.
  await knex.schema.createTable('deployment_settings', table => {
    table.comment('Versioned deployment settings of catalog entities');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Lowercase entity ref the settings belong to');
    table
      .integer('version')
      .notNullable()
      .comment('Starts at 1, increases by one per change');
    table.text('settings').notNullable().comment('DeploymentSettings as JSON');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of whoever made the change');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When this version was created');
    table.primary(['entity_ref', 'version']);
  });

  await knex.schema.createTable('deployments', table => {
    table.comment('Deployment history of catalog entities');
    table.string('id', 255).primary().notNullable();
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Lowercase entity ref that was deployed');
    table.string('environment', 255).notNullable();
    table.string('version', 255).notNullable().comment('Version rolled out');
    table.string('status', 32).notNullable();
    table.string('strategy', 32).notNullable();
    table
      .string('triggered_by', 255)
      .notNullable()
      .comment('Entity ref of whoever started the deployment');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('Null while the deployment is running');
    // Serves the per-entity history, newest first.
    table.index(
      ['entity_ref', 'started_at'],
      'deployments_entity_ref_started_at_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
  await knex.schema.dropTable('deployment_settings');
};
