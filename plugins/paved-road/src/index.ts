/**
 * Paved Road frontend (legacy frontend system; the new system uses the
 * `./alpha` entry point): the CostCenterPicker scaffolder field, the catalog
 * hygiene page, the audit trail page and entity card, and business-unit /
 * cost-center columns and filters for the catalog index page.
 *
 * @packageDocumentation
 */
export {
  pavedRoadPlugin,
  CatalogHygienePage,
  CostCenterPickerFieldExtension,
  EntityNamePickerFieldExtension,
  PavedRoadAuditPage,
  EntityAuditCard,
} from './plugin';
export { pavedRoadApiRef, PavedRoadClient } from './api';
export type { AuditEventFilters, PavedRoadApi, PavedRoadProject } from './api';
export {
  CostCenterPicker,
  costCenterPickerValidation,
  CostCenterPickerFieldSchema,
} from './components/CostCenterPicker';
export type { CostCenterPickerUiOptions } from './components/CostCenterPicker';
export {
  EntityNamePicker,
  entityNamePickerValidation,
  EntityNamePickerFieldSchema,
} from './components/EntityNamePicker';
export type { EntityNamePickerUiOptions } from './components/EntityNamePicker';
export { HygienePage } from './components/HygienePage';
export { AuditPage } from './components/AuditPage';
export {
  EntityBusinessUnitFilter,
  EntityCostCenterFilter,
  EntityBusinessUnitPicker,
  EntityCostCenterPicker,
  createBusinessUnitColumn,
  createCostCenterColumn,
  pavedRoadCatalogColumns,
} from './components/catalog';
export type { PavedRoadEntityFilters } from './components/catalog';
export type {
  HygieneReport,
  HygieneGroup,
  HygieneItem,
  AuditAction,
  AuditOutcome,
  AuditEvent,
  AuditEventPage,
} from '@paved-road/plugin-paved-road-common';
