/***/
/**
 * The paved-road backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModulePavedRoad as default } from './module';
