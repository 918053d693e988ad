// @ts-check

/**
 * Runs in the database of the plugin that writes audit events, under its own
 * migrations table (paved_road_audit_outbox_migrations), beside the plugin's
 * own tables.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_road_audit_outbox', table => {
    table.comment(
      'Audit events written with the change they record, waiting to be sent to paved-road',
    );
    table.bigIncrements('seq').primary().comment('Delivery order');
    table.string('event_id', 36).notNullable().unique().comment('Event uuid');
    table.text('payload').notNullable().comment('The event as JSON');
    table.bigInteger('enqueued_at').notNullable().comment('Epoch milliseconds');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Failed deliveries so far');
    table
      .bigInteger('next_attempt_at')
      .notNullable()
      .comment('Epoch milliseconds; not sent before');
    table
      .string('last_error', 1000)
      .nullable()
      .comment('Why the last delivery failed');
    table.index(
      ['next_attempt_at'],
      'paved_road_audit_outbox_next_attempt_at_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_road_audit_outbox');
};
