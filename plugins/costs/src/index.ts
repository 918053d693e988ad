/**
 * Cost of catalog entities, the Cost explorer, budgets and the creation
 * form's live estimate (legacy frontend system; the new system uses the
 * `./alpha` entry point).
 *
 * @packageDocumentation
 */
export {
  costsPlugin,
  CostExplorerPage,
  DeploymentCostEstimateFieldExtension,
  EntityCostContent,
} from './plugin';
export { isCostsAvailable } from './conditions';
export { costExplorerRouteRef } from './routes';
export { costsApiRef, CostsClient } from './api';
export type {
  CostsApi,
  IngestionStatusItem,
  IngestionStatusResponse,
  RejectedRow,
  RollupDailyQuery,
  RollupQuery,
} from './api';
export {
  DeploymentCostEstimate,
  DeploymentCostEstimateFieldSchema,
  type DeploymentCostEstimateUiOptions,
} from './components/DeploymentCostEstimate';
export type {
  Budget,
  BudgetChange,
  BudgetReport,
  BudgetScope,
  BudgetStatus,
  CostEstimate,
  CostEstimateLine,
  DailyCost,
  EntityCostReport,
  RollupDailyResponse,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
