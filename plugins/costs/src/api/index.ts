export { costsApiRef } from './CostsApi';
export type { CostsApi } from './CostsApi';
export { CostsClient } from './CostsClient';
