export {
  EntityBusinessUnitFilter,
  EntityCostCenterFilter,
  type PavedRoadEntityFilters,
} from './filters';
export { EntityBusinessUnitPicker, EntityCostCenterPicker } from './pickers';
export {
  createBusinessUnitColumn,
  createCostCenterColumn,
  pavedRoadCatalogColumns,
} from './columns';
