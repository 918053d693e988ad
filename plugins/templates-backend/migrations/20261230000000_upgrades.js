// @ts-check

/**
 * Upgrades of generated projects to newer template versions: one job per
 * project and version (requested alone or in a batch), claimed by one
 * replica at a time with a heartbeat, and what it left in the repository.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('template_upgrade_batches', table => {
    table.comment('Batch upgrades a platform engineer started for a template');
    table.string('id', 36).primary();
    table.string('template_ref', 255).notNullable();
    table.string('to_version', 255).notNullable();
    table.string('requested_by', 255).notNullable();
    table
      .text('skipped')
      .notNullable()
      .comment('Projects left out, as JSON [{ entityRef, reason }]');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('template_upgrade_jobs', table => {
    table.comment('Upgrades of one project to one template version');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('template_ref', 255).notNullable();
    table.string('from_version', 255).notNullable();
    table.string('to_version', 255).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('queued | running | succeeded | failed');
    table
      .string('outcome', 16)
      .nullable()
      .comment('clean | conflicts | no-change, once succeeded');
    table
      .text('answers')
      .notNullable()
      .comment('Answers given with the request, as JSON; never secrets');
    table.string('requested_by', 255).notNullable();
    table.string('author_name', 255).notNullable();
    table.string('author_email', 255).notNullable();
    table
      .string('batch_id', 36)
      .nullable()
      .references('id')
      .inTable('template_upgrade_batches')
      .onDelete('SET NULL');
    table.integer('attempts').notNullable().defaultTo(0);
    table.string('claimed_by', 255).nullable();
    table.timestamp('heartbeat_at', { useTz: true }).nullable();
    table
      .text('result')
      .nullable()
      .comment('UpgradeResult as JSON: branch, commits, PR, conflicts');
    table.text('error').nullable();
    table
      .string('merged_by', 255)
      .nullable()
      .comment('Who merged the branch from the portal (hosts without pull requests)');
    table.timestamp('merged_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    // A repeated request finds the job instead of making another.
    table.unique(['entity_ref', 'to_version'], {
      indexName: 'template_upgrade_jobs_entity_ref_to_version_idx',
    });
    table.index(['status', 'created_at'], 'template_upgrade_jobs_status_idx');
    table.index(['batch_id'], 'template_upgrade_jobs_batch_idx');
  });
  // One running upgrade per project: they move the same branches. The
  // database decides between replicas claiming two jobs of one project.
  await knex.raw(
    `CREATE UNIQUE INDEX template_upgrade_jobs_running_idx
       ON template_upgrade_jobs (entity_ref) WHERE status = 'running'`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('template_upgrade_jobs');
  await knex.schema.dropTable('template_upgrade_batches');
};
