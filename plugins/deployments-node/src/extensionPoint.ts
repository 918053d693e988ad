import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { DeploymentProvider } from './DeploymentProvider';

/** @public */
export interface DeploymentProvidersExtensionPoint {
  /** Adds a provider; `deployments.provider` in app-config chooses among them by id. */
  addProvider(provider: DeploymentProvider): void;
}

/**
 * Where backend modules add deployment providers to the deployments plugin.
 *
 * @public
 */
export const deploymentProvidersExtensionPoint =
  createExtensionPoint<DeploymentProvidersExtensionPoint>({
    id: 'deployments.providers',
  });
