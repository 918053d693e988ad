/**
 * New frontend system entry point of the costs plugin.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
