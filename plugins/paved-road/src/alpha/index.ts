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
  costCenterPickerFormField,
  businessUnitCatalogFilter,
  costCenterCatalogFilter,
} from './extensions';
