/**
 * Types and permissions shared by the deployments frontend and backend.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './annotations';
export * from './environments';
export * from './serviceLevelObjectives';
