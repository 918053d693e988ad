/**
 * Paved Road scaffolder actions: resolve an owner's business unit and cost
 * center, and write them into the new project's catalog-info.yaml.
 *
 * @packageDocumentation
 */

export { scaffolderModulePavedRoad as default } from './module';
export { createResolveCostCenterAction } from './actions/resolveCostCenter';
export { createWriteCatalogInfoAction } from './actions/writeCatalogInfo';
