/**
 * Shared vocabulary of Paved Road: annotation keys, cost-center rules, the
 * deployment settings schema and reading a template's parameters.
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
export * from './templateParameters';
