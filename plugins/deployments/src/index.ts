/**
 * Deployment settings and history of catalog entities (legacy frontend
 * system; the new system uses the `./alpha` entry point).
 *
 * @packageDocumentation
 */
export { deploymentsPlugin, EntityDeploymentsContent } from './plugin';
export { isDeploymentsAvailable } from './conditions';
export { deploymentsApiRef, DeploymentsClient } from './api';
export type { DeploymentsApi } from './api';
export type {
  Deployment,
  DeploymentSettingsVersion,
  DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
