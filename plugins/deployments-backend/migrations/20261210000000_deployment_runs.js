// @ts-check

/**
 * Deployments become runs the engine executes: what was asked for (ref,
 * commit, settings), who runs it (a claim with a heartbeat, so replicas
 * share the work and a dead one's work is resumed), how it ended, and its
 * stages and log lines. Rows that exist before this migration were only
 * ever sample data.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .string('source', 16)
      .notNullable()
      .defaultTo('sample')
      .comment('portal (a real run) | sample (demo history, never in DORA)');
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('deploy')
      .comment('deploy | rollback');
    table.string('ref', 255).nullable().comment('The ref that was asked for');
    table
      .string('commit_sha', 64)
      .nullable()
      .comment('The commit the ref resolved to: the version deployed');
    table
      .timestamp('committed_at', { useTz: true })
      .nullable()
      .comment('Commit time, for the lead time for changes');
    table
      .string('previous_commit_sha', 64)
      .nullable()
      .comment('What served in the environment when it was requested');
    table
      .text('repository')
      .nullable()
      .comment('DeploymentRepository as JSON: where the provider clones from');
    table
      .text('settings')
      .nullable()
      .comment('DeploymentSettings at the commit, as JSON');
    table
      .integer('settings_version')
      .nullable()
      .comment('The stored settings version those settings are, if any');
    table.text('reason').nullable().comment('Why it failed or rolled back');
    table
      .string('claimed_by', 255)
      .nullable()
      .comment('Runner (one per backend process) that executes it');
    table
      .timestamp('heartbeat_at', { useTz: true })
      .nullable()
      .comment('Last sign of life of that runner; stale means it died');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Claims so far; fences writes of a runner that lost its claim');
    table.string('cancel_requested_by', 255).nullable();
    table.timestamp('cancel_requested_at', { useTz: true }).nullable();
  });

  // At most one unfinished real deployment per entity and environment: the
  // database decides between concurrent requests on any replica.
  await knex.raw(
    `CREATE UNIQUE INDEX deployments_entity_ref_environment_active_idx
       ON deployments (entity_ref, environment)
       WHERE status IN ('pending', 'in-progress') AND source <> 'sample'`,
  );
  // What runners poll for.
  await knex.schema.alterTable('deployments', table => {
    table.index(['status', 'heartbeat_at'], 'deployments_status_heartbeat_idx');
  });

  await knex.schema.createTable('deployment_stages', table => {
    table.comment('Stages of a deployment run, in the order they started');
    table
      .string('deployment_id', 255)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.integer('seq').notNullable().comment('Starts at 1 per deployment');
    table.integer('attempt').notNullable().comment('The claim that ran it');
    table.string('name', 255).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running | succeeded | failed');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.text('error').nullable();
    table.primary(['deployment_id', 'seq']);
  });

  await knex.schema.createTable('deployment_logs', table => {
    table.comment('Log lines of a deployment run, in order');
    table
      .string('deployment_id', 255)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table
      .integer('seq')
      .notNullable()
      .comment('Starts at 1 per deployment; the events cursor');
    table.timestamp('logged_at', { useTz: true }).notNullable();
    table.text('line').notNullable();
    table.primary(['deployment_id', 'seq']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_logs');
  await knex.schema.dropTable('deployment_stages');
  await knex.raw('DROP INDEX deployments_entity_ref_environment_active_idx');
  await knex.schema.alterTable('deployments', table => {
    table.dropIndex(
      ['status', 'heartbeat_at'],
      'deployments_status_heartbeat_idx',
    );
    for (const column of [
      'source',
      'kind',
      'ref',
      'commit_sha',
      'committed_at',
      'previous_commit_sha',
      'repository',
      'settings',
      'settings_version',
      'reason',
      'claimed_by',
      'heartbeat_at',
      'attempts',
      'cancel_requested_by',
      'cancel_requested_at',
    ]) {
      table.dropColumn(column);
    }
  });
};
