export { pavedRoadApiRef } from './PavedRoadApi';
export type {
  AuditEventFilters,
  PavedRoadApi,
  PavedRoadProject,
} from './PavedRoadApi';
export { PavedRoadClient } from './PavedRoadClient';
