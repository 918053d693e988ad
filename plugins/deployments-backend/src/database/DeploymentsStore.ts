import type {
  Deployment,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';

/**
 * Persistence of deployment history and versioned deployment settings. Every
 * `entityRef` is a lowercase, full entity ref.
 */
export interface DeploymentsStore {
  /** Deployments of an entity, newest first. */
  listDeployments(
    entityRef: string,
    options: { limit: number },
  ): Promise<Deployment[]>;

  /** The highest settings version of an entity, or undefined if it has none. */
  getLatestSettings(
    entityRef: string,
  ): Promise<DeploymentSettingsVersion | undefined>;

  /** All settings versions of an entity, newest first. */
  listSettingsVersions(entityRef: string): Promise<DeploymentSettingsVersion[]>;

  /**
   * Inserts deployments; an id that already exists is left untouched, so
   * importing the same data twice (or from several replicas) is harmless.
   */
  insertDeployments(deployments: Deployment[]): Promise<void>;

  /**
   * Inserts settings versions; an (entityRef, version) that already exists is
   * left untouched.
   */
  insertSettingsVersions(versions: DeploymentSettingsVersion[]): Promise<void>;
}
