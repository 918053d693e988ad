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
  BudgetScope,
  CostsApi,
  EntityCostForecast,
  EntityCostReportWithPlan,
  IngestionRun,
  IngestionStatus,
  RejectedRow,
  RollupItemWithDaily,
  RollupQuery,
  RollupReport,
} from './api';
export {
  DeploymentCostEstimate,
  DeploymentCostEstimateFieldSchema,
  type DeploymentCostEstimateUiOptions,
} from './components/DeploymentCostEstimate';
export type {
  Budget,
  BudgetReport,
  BudgetStatus,
  CostEstimate,
  CostEstimateLine,
  DailyCost,
  EntityCostReport,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
