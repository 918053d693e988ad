/**
 * Types and permissions shared by the templates frontend, backend and CLI.
 *
 * @packageDocumentation
 */
export * from './upgrades';
export * from './permissions';
export * from './requests';
export * from './health';
