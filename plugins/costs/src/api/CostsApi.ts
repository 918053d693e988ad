import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  Budget,
  BudgetChange,
  BudgetReport,
  BudgetScope,
  CostEstimate,
  CostEstimateRequest,
  EntityCostReport,
  RollupDailyResponse,
  RollupResponse,
  SetBudgetRequest,
} from '@paved-road/plugin-costs-common';
import type {
  IngestionStatusResponse,
  RollupDailyQuery,
  RollupQuery,
} from './types';

/**
 * Reads costs, estimates, roll-ups, budgets and ingestions from the costs
 * backend, and sets budgets.
 *
 * @public
 */
export interface CostsApi {
  /**
   * Daily costs of an entity between two UTC days (`YYYY-MM-DD`, both
   * included), with the estimate of its current settings, the month-end
   * forecast and its cost center's budget; the backend defaults to the last
   * 30 days up to today.
   */
  getEntityCosts(
    entityRef: CompoundEntityRef,
    options?: { from?: string; to?: string; currency?: string },
  ): Promise<EntityCostReport>;

  /**
   * Monthly estimate of deployment settings. Rejects with the backend's 400
   * naming the field when the settings are invalid.
   */
  estimate(
    request: CostEstimateRequest,
    options?: { signal?: AbortSignal },
  ): Promise<CostEstimate>;

  /** Cost rolled up by one dimension for a period, with the previous one. */
  getRollups(query: RollupQuery): Promise<RollupResponse>;

  /** Daily series of the groups in `keys`, everything else and unallocated. */
  getRollupDaily(query: RollupDailyQuery): Promise<RollupDailyResponse>;

  /** This month's report of every budget and every known cost center. */
  listBudgets(): Promise<BudgetReport[]>;

  /** Sets (or changes) a monthly budget; needs `costs.budget.update`. */
  setBudget(
    scope: BudgetScope,
    key: string,
    request: SetBudgetRequest,
  ): Promise<Budget>;

  /** Every change of a budget, newest first. */
  getBudgetHistory(scope: BudgetScope, key: string): Promise<BudgetChange[]>;

  /** What became of every billing export file, with its rejected rows. */
  getIngestions(): Promise<IngestionStatusResponse>;
}

/** @public */
export const costsApiRef = createApiRef<CostsApi>().with({
  id: 'plugin.costs.service',
  pluginId: 'costs',
});
