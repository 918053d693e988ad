import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  Budget,
  BudgetReport,
  CostEstimate,
  CostEstimateRequest,
  SetBudgetRequest,
} from '@paved-road/plugin-costs-common';
import type {
  EntityCostReportWithPlan,
  IngestionStatus,
  RollupQuery,
  RollupReport,
} from './types';

/** @public Budgets are kept per cost center or per business unit. */
export type BudgetScope = Budget['scope'];

/**
 * Reads costs, estimates and budgets from the costs backend, and sets
 * budgets.
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
  ): Promise<EntityCostReportWithPlan>;

  /**
   * Monthly estimate of deployment settings. Rejects with the backend's 400
   * naming the field when the settings are invalid.
   */
  estimate(
    request: CostEstimateRequest,
    options?: { signal?: AbortSignal },
  ): Promise<CostEstimate>;

  /** Cost rolled up by one dimension for a period, with the previous one. */
  getRollups(query: RollupQuery): Promise<RollupReport>;

  /** This month's budget report of every cost center and business unit with cost or a budget. */
  listBudgets(): Promise<BudgetReport[]>;

  /** Sets (or changes) a monthly budget; needs `costs.budget.update`. */
  setBudget(
    scope: BudgetScope,
    key: string,
    request: SetBudgetRequest,
  ): Promise<Budget>;

  /** Every version of a budget, newest first. */
  getBudgetHistory(scope: BudgetScope, key: string): Promise<Budget[]>;

  /** The last ingestion of each billing export, with its rejected rows. */
  getIngestions(): Promise<IngestionStatus>;
}

/** @public */
export const costsApiRef = createApiRef<CostsApi>().with({
  id: 'plugin.costs.service',
  pluginId: 'costs',
});
