import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CreateDeploymentRequest,
  Deployment,
  DeploymentDetails,
  DeploymentEnvironment,
  DeploymentEventsResponse,
  DeploymentRuntime,
  DeploymentSettingsVersion,
  DoraMetrics,
  ProjectState,
  RollbackDeploymentRequest,
  ServiceLevelObjectivesResponse,
  UpdateDeploymentSettingsRequest,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import type {
  DeploymentSettings,
  ProjectRecord,
} from '@paved-road/plugin-paved-road-common';

/**
 * What the paved-road backend recorded when a project was created from a
 * template (`GET /api/paved-road/projects/:namespace/:kind/:name`).
 *
 * @public
 */
export type ProjectCreationRecord = ProjectRecord;

/**
 * The monthly cost of deployment settings, as the costs backend estimates
 * it (`POST /api/costs/estimate`).
 *
 * @public
 */
export interface SettingsCostEstimate {
  currency: string;
  monthlyTotal: number;
}

/**
 * Reads and changes deployment settings, deployment history and project state
 * through the deployments backend, and reads a project's creation record from
 * the paved-road backend.
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

  /**
   * The SLOs of `deploy/slo.yaml` at the head of the project's default
   * branch, with the file's problems; `found: false` when it has none.
   */
  getServiceLevelObjectives(
    entityRef: CompoundEntityRef,
  ): Promise<ServiceLevelObjectivesResponse>;

  /** Every settings version of an entity, newest first. */
  listSettingsVersions(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion[]>;

  /**
   * Changes the settings: a commit (the new version) or a pull request,
   * depending on the backend's write mode. Rejects with the backend's 400
   * (naming the field), 403 or 409 (stale `baseVersion`, deactivated project).
   */
  updateSettings(
    entityRef: CompoundEntityRef,
    request: UpdateDeploymentSettingsRequest,
  ): Promise<UpdateDeploymentSettingsResponse>;

  /** The project's state, or undefined if the backend knows no such project. */
  getProject(entityRef: CompoundEntityRef): Promise<ProjectState | undefined>;

  /** Marks the project deactivated (idempotent). */
  deactivate(entityRef: CompoundEntityRef): Promise<void>;

  /** Lifts a deactivation (idempotent). */
  reactivate(entityRef: CompoundEntityRef): Promise<void>;

  /**
   * Who created the project from which template, or undefined when it was not
   * created through the paved road (or before records were kept).
   */
  getCreationRecord(
    entityRef: CompoundEntityRef,
  ): Promise<ProjectCreationRecord | undefined>;

  /**
   * The monthly cost estimate of settings, or undefined when the app has no
   * costs backend. Optional: without it the settings editor shows no
   * estimate.
   */
  estimateMonthlyCost?(
    settings: DeploymentSettings,
  ): Promise<SettingsCostEstimate | undefined>;

  /**
   * Starts a deployment of `ref` (default: the head of the default branch)
   * to `environment` (default: production); resolves with it as `pending`.
   * Rejects with the backend's 400 (naming the field), 403 or 409 (another
   * deployment running, a deactivated project).
   */
  createDeployment(
    entityRef: CompoundEntityRef,
    request: CreateDeploymentRequest,
  ): Promise<DeploymentDetails>;

  /**
   * Deploys the previous successful version again; 409 when there is none.
   */
  rollback(
    entityRef: CompoundEntityRef,
    request?: RollbackDeploymentRequest,
  ): Promise<DeploymentDetails>;

  /** One deployment with its stages. */
  getDeployment(id: string): Promise<DeploymentDetails>;

  /** Log lines after the cursor `after` (default: from the start). */
  getDeploymentEvents(
    id: string,
    options?: { after?: string; limit?: number },
  ): Promise<DeploymentEventsResponse>;

  /** Cancels a pending or running deployment; 409 once it has finished. */
  cancelDeployment(id: string): Promise<DeploymentDetails>;

  /** What runs for the entity in an environment (default: production). */
  getRuntime(
    entityRef: CompoundEntityRef,
    options?: { environment?: string },
  ): Promise<DeploymentRuntime>;

  /** The four DORA figures over the last `days` (default 30) days. */
  getDoraMetrics(
    entityRef: CompoundEntityRef,
    options?: { days?: number; environment?: string },
  ): Promise<DoraMetrics>;

  /**
   * Where the entity deploys to: the standard environments first, then the
   * previews of branches that are not torn down, newest first.
   */
  listEnvironments(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentEnvironment[]>;

  /**
   * Stops what runs in a preview environment and removes it. Rejects with
   * the backend's 403, 404 (no such preview) or 409 (a standard environment,
   * or a deployment to it runs).
   */
  teardownEnvironment(
    entityRef: CompoundEntityRef,
    environment: string,
  ): Promise<void>;
}

/** @public */
export const deploymentsApiRef = createApiRef<DeploymentsApi>().with({
  id: 'plugin.deployments.service',
  pluginId: 'deployments',
});
