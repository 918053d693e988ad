/**
 * Paved Road catalog module: resolves every owned entity to its business
 * unit and cost center, and reports ownership problems.
 *
 * @packageDocumentation
 */

export { catalogModulePavedRoad as default } from './module';
export { PavedRoadOwnershipProcessor } from './processor/PavedRoadOwnershipProcessor';
export {
  OrgSnapshotCache,
  type OrgSnapshot,
  type OrgSnapshotSource,
} from './processor/OrgSnapshotCache';
