// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('paved_road_audit_events', table => {
    table.comment('Paved Road audit trail: one row per recorded event');
    table
      .string('id', 36)
      .primary()
      .comment('The uuid the writer chose; makes delivery idempotent');
    table.string('action', 64).notNullable();
    table.string('outcome', 16).notNullable();
    table
      .string('actor', 255)
      .notNullable()
      .comment('Lowercase user entity ref, or plugin:<id>');
    table.timestamp('occurred_at', { useTz: true, precision: 3 }).notNullable();
    table.string('entity_ref', 255).nullable().comment('Lowercase entity ref');
    table.string('owner', 255).nullable().comment('Lowercase group ref');
    table
      .string('business_unit', 255)
      .nullable()
      .comment('Lowercase group ref');
    table.string('cost_center', 64).nullable();
    table.string('summary', 1000).notNullable();
    table.text('details').notNullable().comment('JSON object');
    table
      .string('writer', 255)
      .notNullable()
      .comment('The service principal that sent the event');
    table.timestamp('received_at', { useTz: true, precision: 3 }).notNullable();

    // Newest first, with the id as tie breaker for keyset paging
    table.index(
      ['occurred_at', 'id'],
      'paved_road_audit_events_occurred_at_id_idx',
    );
    table.index(
      ['entity_ref', 'occurred_at'],
      'paved_road_audit_events_entity_ref_occurred_at_idx',
    );
    table.index(
      ['actor', 'occurred_at'],
      'paved_road_audit_events_actor_occurred_at_idx',
    );
    table.index(
      ['business_unit', 'occurred_at'],
      'paved_road_audit_events_business_unit_occurred_at_idx',
    );
    table.index(
      ['cost_center', 'occurred_at'],
      'paved_road_audit_events_cost_center_occurred_at_idx',
    );
    table.index(
      ['action', 'occurred_at'],
      'paved_road_audit_events_action_occurred_at_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('paved_road_audit_events');
};
