export { costsApiRef } from './CostsApi';
export type { CostsApi } from './CostsApi';
export { CostsClient } from './CostsClient';
export type {
  IngestionStatusItem,
  IngestionStatusResponse,
  RejectedRow,
  RollupDailyQuery,
  RollupQuery,
} from './types';
