import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * The catalog's own schema, as the installed catalog backend creates it: a
 * catalog upgrade that changes a table the module reads fails its tests, not
 * production.
 */
export const CATALOG_MIGRATIONS = resolvePackagePath(
  '@backstage/plugin-catalog-backend',
  'migrations',
);

/**
 * A refresh_state row as the engine leaves it: `errors` is '' until the
 * first processing, then that processing's errors as JSON ('[]' if clean).
 */
export async function insertRefreshState(
  knex: Knex,
  entityRef: string,
  state: { errors: string; processed?: boolean },
) {
  await knex('refresh_state').insert({
    entity_id: `id-${entityRef}`,
    entity_ref: entityRef,
    unprocessed_entity: '{}',
    processed_entity: state.processed ? '{}' : null,
    errors: state.errors,
    next_update_at: knex.fn.now(),
    last_discovery_at: knex.fn.now(),
  });
}
