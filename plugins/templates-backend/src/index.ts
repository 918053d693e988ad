/**
 * Template versions, upgrades of generated projects by three-way merge,
 * and template health.
 *
 * @packageDocumentation
 */
export { templatesPlugin as default } from './plugin';
