/**
 * Actual cost of catalog entities (legacy frontend system; the new system
 * uses the `./alpha` entry point).
 *
 * @packageDocumentation
 */
export { costsPlugin, EntityCostContent } from './plugin';
export { isCostsAvailable } from './conditions';
export { costsApiRef, CostsClient } from './api';
export type { CostsApi } from './api';
export type {
  DailyCost,
  EntityCostReport,
} from '@paved-road/plugin-costs-common';
