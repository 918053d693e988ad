/**
 * Deployment settings and history of catalog entities (legacy frontend
 * system; the new system uses the `./alpha` entry point).
 *
 * @packageDocumentation
 */
export {
  deploymentsPlugin,
  EntityDeploymentsContent,
  EntityPavedRoadProjectCard,
  EntityServiceLevelObjectivesCard,
} from './plugin';
export { isDeploymentsAvailable, isPavedRoadProject } from './conditions';
export { deploymentsApiRef, DeploymentsClient } from './api';
export type { DeploymentsApi, ProjectCreationRecord } from './api';
export type {
  CreateDeploymentRequest,
  Deployment,
  DeploymentDetails,
  DeploymentEnvironment,
  DeploymentEventsResponse,
  DeploymentLogLine,
  DeploymentRuntime,
  DeploymentRuntimeInstance,
  DeploymentSettingsVersion,
  DeploymentStage,
  DeploymentStatus,
  DoraMetrics,
  EnvironmentLastDeployment,
  RollbackDeploymentRequest,
  ProjectState,
  ServiceLevelObjective,
  ServiceLevelObjectivesProblem,
  ServiceLevelObjectivesResponse,
  UpdateDeploymentSettingsRequest,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
