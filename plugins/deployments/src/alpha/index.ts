/**
 * New frontend system entry point of the deployments plugin.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
