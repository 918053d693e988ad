// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('local_runtime_services', table => {
    table.comment(
      'Services the local runtime serves: the stable port, which backend process owns them and the deployment that serves',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 255).notNullable();
    table
      .integer('port')
      .notNullable()
      .unique({ indexName: 'local_runtime_services_port_idx' })
      .comment('Port of the stable URL; kept across restarts');
    table
      .string('host', 255)
      .notNullable()
      .comment('os.hostname() of the backend that runs the service');
    table
      .integer('owner_pid')
      .nullable()
      .comment('Process id of the backend that runs it; null once stopped');
    table
      .string('deployment_id', 255)
      .nullable()
      .comment('The deployment whose rollout completed: the serving version');
    table.string('version', 255).nullable().comment('Commit sha that serves');
    table.text('artifact').nullable().comment('Path of the serving jar');
    table
      .integer('instances')
      .notNullable()
      .defaultTo(0)
      .comment('Instances of the serving version to keep running');
    table
      .integer('replicas')
      .nullable()
      .comment('Replicas the settings asked for');
    table.integer('memory_mib').nullable();
    table.string('health_check_path', 255).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'environment']);
  });

  await knex.schema.createTable('local_runtime_instances', table => {
    table.comment('JVM processes the local runtime started');
    table.string('id', 255).primary().notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 255).notNullable();
    table.string('deployment_id', 255).notNullable();
    table.string('version', 255).notNullable().comment('Commit sha it runs');
    table.text('artifact').notNullable().comment('Path of the jar it runs');
    table.integer('pid').notNullable();
    table.integer('port').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.integer('restarts').notNullable().defaultTo(0);
    table.index(
      ['entity_ref', 'environment'],
      'local_runtime_instances_entity_ref_environment_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('local_runtime_instances');
  await knex.schema.dropTable('local_runtime_services');
};
