/**
 * Paved Road catalog module: resolves every owned entity to its business
 * unit and cost center and reports ownership problems as processing errors.
 *
 * @packageDocumentation
 */

export { catalogModulePavedRoad as default } from './module';
export { PavedRoadOwnershipProcessor } from './processor/PavedRoadOwnershipProcessor';
export type {
  OwnershipEnforcement,
  OwnershipScope,
} from './processor/ownershipPolicy';
export {
  OrgSnapshotCache,
  type OrgSnapshot,
  type OrgSnapshotSource,
} from './processor/OrgSnapshotCache';
export {
  CatalogBusinessUnitParts,
  type BusinessUnitPartsSource,
} from './processor/BusinessUnitParts';
export { DatabaseBusinessUnitParts } from './database/DatabaseBusinessUnitParts';
export type { PendingEntitiesSource } from './processor/PendingEntities';
export { DatabasePendingEntities } from './database/DatabasePendingEntities';
