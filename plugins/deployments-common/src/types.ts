import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';

/** @public Lifecycle states of a deployment, in the order they usually occur. */
export const DEPLOYMENT_STATUSES = [
  'pending',
  'in-progress',
  'succeeded',
  'failed',
  'rolled-back',
] as const;

/** @public */
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/**
 * @public
 * Statuses after which a deployment never changes again; only these carry a
 * `finishedAt`.
 */
export const FINISHED_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = [
  'succeeded',
  'failed',
  'rolled-back',
];

/** @public One rollout of one version of an entity to one environment. */
export interface Deployment {
  id: string;
  /** Lowercase entity ref, e.g. `component:default/orders-service`. */
  entityRef: string;
  environment: string;
  /** The version that was rolled out, e.g. `1.4.2`. */
  version: string;
  status: DeploymentStatus;
  /** Rollout strategy used, e.g. `canary`. */
  strategy: string;
  /** User (or service) entity ref of whoever started it. */
  triggeredBy: string;
  /** ISO 8601 timestamp. */
  startedAt: string;
  /** ISO 8601 timestamp; null while the deployment is still running. */
  finishedAt: string | null;
}

/**
 * @public
 * One immutable revision of an entity's deployment settings. Changing the
 * settings adds a version; older versions stay for the audit trail.
 */
export interface DeploymentSettingsVersion {
  entityRef: string;
  /** Starts at 1 and increases by one per change. */
  version: number;
  settings: DeploymentSettings;
  /** Entity ref of whoever made the change (the commit author for `repository`). */
  createdBy: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
  /** Where the version came from. */
  source: DeploymentSettingsSource;
  /** The commit that holds this version of `deploy/paved-road.yaml`; null for sample data. */
  commitSha: string | null;
  /** A browsable link to that commit, when the repository host has one. */
  commitUrl: string | null;
  /** Why it changed (the commit message). */
  message: string | null;
}

/**
 * @public
 * `template`: the values of the creation form (the initial commit);
 * `portal`: changed through the API or the settings tab;
 * `repository`: a commit made in the repository itself (a push, a merged pull request);
 * `sample`: sample data of the embedded default.
 */
export type DeploymentSettingsSource =
  | 'template'
  | 'portal'
  | 'repository'
  | 'sample';

/** @public Body of `PUT /entities/:namespace/:kind/:name/settings`. */
export interface UpdateDeploymentSettingsRequest {
  settings: DeploymentSettings;
  /** The version the change was made against; 409 unless it is the latest. */
  baseVersion: number;
  /** Why: becomes the commit message. */
  message: string;
}

/**
 * @public
 * Answer of a settings change. `mode: 'commit'`: the new version is stored
 * (201). `mode: 'pull-request'`: a pull request is open (202); the version
 * appears once it is merged.
 */
export type UpdateDeploymentSettingsResponse =
  | { mode: 'commit'; version: DeploymentSettingsVersion }
  | {
      mode: 'pull-request';
      pullRequestUrl: string;
      baseVersion: number;
    };

/**
 * @public
 * Body of `GET /entities/:namespace/:kind/:name/project`: what the deployments
 * plugin knows of a project made by the paved road.
 */
export interface ProjectState {
  entityRef: string;
  /** Clone URL of the project's repository, when known. */
  repoUrl: string | null;
  deactivated: boolean;
  /** Who deactivated it and when; null while active. */
  deactivatedBy: string | null;
  deactivatedAt: string | null;
  /**
   * Set while the deployment descriptor at the head of the repository's
   * default branch cannot be read as settings (invalid YAML, a value out of
   * bounds): the versions stop at the last valid one until it is fixed.
   */
  settingsError: ProjectSettingsError | null;
}

/** @public Why the repository's deployment descriptor was not taken as a version. */
export interface ProjectSettingsError {
  /** Names the field, e.g. `spec.replicas: Too small: expected number to be >=1`. */
  message: string;
  /** The commit whose descriptor is invalid. */
  commitSha: string | null;
  /** ISO 8601: when the sync first saw it. */
  detectedAt: string;
}

/** @public Body of `GET /entities/:namespace/:kind/:name/deployments`, newest first. */
export interface DeploymentListResponse {
  items: Deployment[];
}

/** @public Body of `GET /entities/:namespace/:kind/:name/settings/versions`, newest first. */
export interface DeploymentSettingsVersionListResponse {
  items: DeploymentSettingsVersion[];
}

/** @public A project whose repository descriptor is invalid, and why. */
export interface SettingsErrorItem extends ProjectSettingsError {
  /** Lowercase entity ref of the project. */
  entityRef: string;
}

/**
 * @public
 * Body of `GET /settings-errors`: every project whose descriptor is invalid
 * right now, by entity ref (the hygiene list reads it).
 */
export interface SettingsErrorListResponse {
  items: SettingsErrorItem[];
}
