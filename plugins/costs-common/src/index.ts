/**
 * Types and permissions shared by the costs frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
