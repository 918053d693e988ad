/**
 * New frontend system entry point of the templates plugin.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export { appModuleTemplateCardWithHealth } from './templateCardModule';
