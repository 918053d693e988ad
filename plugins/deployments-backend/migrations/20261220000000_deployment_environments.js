// @ts-check

/**
 * The environments of each entity: a standard one (`production`) or the
 * preview of a branch (`preview-<branch>`), written in the transaction of
 * the deployment that creates or renews it. A preview expires unless
 * deployed again and is torn down by a user or the TTL task; its row stays
 * (torn_down_at set) until a deployment to it brings it back.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_environments', table => {
    table.comment('Environments each entity has been deployed to');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Lowercase entity ref');
    table
      .string('name', 63)
      .notNullable()
      .comment('e.g. production or preview-feature-x');
    table.string('kind', 16).notNullable().comment('standard | preview');
    table
      .string('branch', 255)
      .nullable()
      .comment('The branch a preview deploys; null for a standard one');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Who deployed there first (since it was last torn down)');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('last_deployed_at', { useTz: true })
      .notNullable()
      .comment('When the last deployment to it was queued');
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('Previews: last deployment + TTL; null for a standard one');
    table
      .timestamp('torn_down_at', { useTz: true })
      .nullable()
      .comment('Null while it is live');
    table
      .string('torn_down_by', 255)
      .nullable()
      .comment('The user, or plugin:deployments for the TTL task');
    table.primary(['entity_ref', 'name']);
    // What the TTL task looks for.
    table.index(
      ['torn_down_at', 'expires_at'],
      'deployment_environments_torn_down_at_expires_at_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_environments');
};
