/**
 * New frontend system entry point of the Paved Road plugin.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { catalogModulePavedRoadColumns } from './catalogModule';
export {
  pavedRoadApi,
  hygienePage,
  auditPage,
  entityAuditCard,
  costCenterPickerFormField,
  businessUnitCatalogFilter,
  costCenterCatalogFilter,
} from './extensions';
