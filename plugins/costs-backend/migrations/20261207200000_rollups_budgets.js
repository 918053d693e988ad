// @ts-check

/**
 * The catalog's organisation for roll-ups, budgets with their history, the
 * alerts sent for them, and an index for roll-ups over a date range.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cost_entity_dimensions', table => {
    table.comment(
      'Catalog entities (services, groups) with their team, business unit and cost center, refreshed from the catalog',
    );
    table.string('entity_ref', 255).primary().comment('Lowercase entity ref');
    table.string('kind', 64).notNullable();
    table.text('title').notNullable();
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('The owning team (Group ref); null for groups');
    table.string('business_unit_ref', 255).nullable();
    table.string('cost_center', 64).nullable();
  });

  await knex.schema.createTable('cost_center_dimensions', table => {
    table.comment(
      'Which business unit owns each cost center (its paved-road.io/cost-centers annotation)',
    );
    table.string('cost_center', 64).primary();
    table.string('business_unit_ref', 255).notNullable();
  });

  await knex.schema.createTable('cost_dimensions_refresh', table => {
    table.comment(
      'The last copy of the dimensions, so an unchanged one is not rewritten',
    );
    table.integer('id').primary().comment('Always 1: a single row');
    table.string('hash', 64).notNullable();
    table.timestamp('refreshed_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('cost_budgets', table => {
    table.comment(
      'The current monthly budget of a cost center or business unit',
    );
    table.string('scope', 32).notNullable();
    table.string('budget_key', 255).notNullable();
    table.decimal('amount', 18, 2).notNullable();
    table.string('currency', 3).notNullable();
    table.text('message').nullable();
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['scope', 'budget_key']);
  });

  await knex.schema.createTable('cost_budget_history', table => {
    table.comment('Every change of a budget, never updated or deleted');
    table.bigIncrements('id').primary();
    table.string('scope', 32).notNullable();
    table.string('budget_key', 255).notNullable();
    table.decimal('previous_amount', 18, 2).nullable();
    table.string('previous_currency', 3).nullable();
    table.decimal('amount', 18, 2).notNullable();
    table.string('currency', 3).notNullable();
    table.text('message').nullable();
    table.string('changed_by', 255).notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    table.index(
      ['scope', 'budget_key', 'id'],
      'cost_budget_history_scope_budget_key_id_idx',
    );
  });

  await knex.schema.createTable('cost_budget_alerts', table => {
    table.comment(
      'One row per alert sent; inserted before sending, so replicas never send one twice',
    );
    table.string('scope', 32).notNullable();
    table.string('budget_key', 255).notNullable();
    table
      .string('period', 10)
      .notNullable()
      .comment('YYYY-MM for forecast alerts, YYYY-MM-DD for daily spikes');
    table.string('kind', 32).notNullable();
    table.text('details').notNullable().comment('JSON: the figures alerted on');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['scope', 'budget_key', 'period', 'kind']);
  });

  // Roll-ups read a date range: a covering index lets them scan only it
  await knex.schema.alterTable('cost_line_items', table => {
    table.index(
      ['charge_date', 'entity_ref', 'cost_center', 'currency', 'amount'],
      'cost_line_items_charge_date_entity_ref_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('cost_line_items', table => {
    table.dropIndex([], 'cost_line_items_charge_date_entity_ref_idx');
  });
  await knex.schema.dropTable('cost_budget_alerts');
  await knex.schema.dropTable('cost_budget_history');
  await knex.schema.dropTable('cost_budgets');
  await knex.schema.dropTable('cost_dimensions_refresh');
  await knex.schema.dropTable('cost_center_dimensions');
  await knex.schema.dropTable('cost_entity_dimensions');
};
