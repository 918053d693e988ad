export { costsApiRef } from './CostsApi';
export type { BudgetScope, CostsApi } from './CostsApi';
export { CostsClient } from './CostsClient';
export type {
  EntityCostForecast,
  EntityCostReportWithPlan,
  IngestionRun,
  IngestionStatus,
  RejectedRow,
  RollupItemWithDaily,
  RollupQuery,
  RollupReport,
} from './types';
