import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';

/**
 * Reads actual costs from the costs backend.
 *
 * @public
 */
export interface CostsApi {
  /**
   * Daily costs of an entity between two UTC days (`YYYY-MM-DD`, both
   * included); the backend defaults to the last 30 days up to today.
   */
  getEntityCosts(
    entityRef: CompoundEntityRef,
    options?: { from?: string; to?: string; currency?: string },
  ): Promise<EntityCostReport>;
}

/** @public */
export const costsApiRef = createApiRef<CostsApi>().with({
  id: 'plugin.costs.service',
  pluginId: 'costs',
});
