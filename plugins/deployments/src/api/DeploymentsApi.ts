import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  Deployment,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';

/**
 * Reads deployment history and deployment settings from the deployments
 * backend.
 *
 * @public
 */
export interface DeploymentsApi {
  /** Deployments of an entity, newest first (at most `limit`, default 50). */
  listDeployments(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<Deployment[]>;

  /** The current settings of an entity, or undefined if it has none yet. */
  getLatestSettings(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion | undefined>;

  /** Every settings version of an entity, newest first. */
  listSettingsVersions(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion[]>;
}

/** @public */
export const deploymentsApiRef = createApiRef<DeploymentsApi>().with({
  id: 'plugin.deployments.service',
  pluginId: 'deployments',
});
