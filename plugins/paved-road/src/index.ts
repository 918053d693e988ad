/**
 * Paved Road frontend (legacy frontend system; the new system uses the
 * `./alpha` entry point): the CostCenterPicker scaffolder field, the catalog
 * hygiene page, and business-unit / cost-center columns and filters for the
 * catalog index page.
 *
 * @packageDocumentation
 */
export {
  pavedRoadPlugin,
  CatalogHygienePage,
  CostCenterPickerFieldExtension,
} from './plugin';
export { pavedRoadApiRef, PavedRoadClient } from './api';
export type { PavedRoadApi } from './api';
export {
  CostCenterPicker,
  costCenterPickerValidation,
  CostCenterPickerFieldSchema,
} from './components/CostCenterPicker';
export type { CostCenterPickerUiOptions } from './components/CostCenterPicker';
export { HygienePage } from './components/HygienePage';
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
  ProjectAuditRecord,
} from '@paved-road/plugin-paved-road-common';
