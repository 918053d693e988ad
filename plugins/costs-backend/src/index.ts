/**
 * Actual cost per catalog entity, ingested from FOCUS billing exports.
 *
 * @packageDocumentation
 */
export { costsPlugin as default } from './plugin';
