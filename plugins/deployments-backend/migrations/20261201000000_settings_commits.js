// @ts-check

/**
 * Settings versions become commits of `deploy/paved-road.yaml`: each records
 * where it came from, the commit that holds it and why it changed. Projects
 * get a row for what the portal knows of them beyond their settings.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployment_settings', table => {
    // Rows that exist before this migration were only ever sample data.
    table
      .string('source', 16)
      .notNullable()
      .defaultTo('sample')
      .comment('template | portal | repository | sample');
    table
      .string('commit_sha', 64)
      .nullable()
      .comment('Commit holding this version of the descriptor');
    table.text('commit_url').nullable().comment('Browsable link to it');
    table.text('message').nullable().comment('Why it changed');
  });

  await knex.schema.createTable('deployment_projects', table => {
    table.comment('Projects the paved road made: repository and state');
    table
      .string('entity_ref', 255)
      .primary()
      .notNullable()
      .comment('Lowercase entity ref of the project');
    table.text('repo_url').nullable().comment('Where its repository lives');
    table.boolean('deactivated').notNullable().defaultTo(false);
    table.string('deactivated_by', 255).nullable();
    table.timestamp('deactivated_at', { useTz: true }).nullable();
    table
      .string('synced_commit_sha', 64)
      .nullable()
      .comment('Last descriptor commit the repository sync looked at');
    table
      .text('settings_error')
      .nullable()
      .comment('Why the descriptor at the head is not a version');
    table.string('settings_error_commit_sha', 64).nullable();
    table.timestamp('settings_error_at', { useTz: true }).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_projects');
  await knex.schema.alterTable('deployment_settings', table => {
    table.dropColumn('source');
    table.dropColumn('commit_sha');
    table.dropColumn('commit_url');
    table.dropColumn('message');
  });
};
