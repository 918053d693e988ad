/**
 * Shared vocabulary of Paved Road: annotation keys, cost-center rules and the
 * deployment settings schema.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './audit';
export * from './costCenter';
export * from './deploymentSettings';
export * from './entityRef';
export * from './ownership';
export * from './relations';
export * from './hygiene';
export * from './projectAudit';
