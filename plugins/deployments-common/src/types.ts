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
  /**
   * `portal` for a deployment the engine ran; `sample` for demo history,
   * which never counts in the DORA figures. Absent from backends before
   * deployments could be started.
   */
  source?: DeploymentSource;
  /** The commit deployed (for `portal` deployments; `version` holds it too). */
  commitSha?: string | null;
  /** Why it failed or was rolled back; null otherwise. */
  reason?: string | null;
}

/** @public Where a deployment row comes from. */
export type DeploymentSource = 'portal' | 'sample';

/**
 * @public
 * `deploy`: a ref asked for; `rollback`: the previous successful version
 * again, asked for with `POST .../rollback`.
 */
export type DeploymentKind = 'deploy' | 'rollback';

/** @public The environment a deployment goes to unless the request names one. */
export const DEFAULT_DEPLOYMENT_ENVIRONMENT = 'production';

/** @public */
export type DeploymentStageStatus = 'running' | 'succeeded' | 'failed';

/** @public One step of a rollout (`build`, `canary`, `bake`, `promote`, …). */
export interface DeploymentStage {
  name: string;
  status: DeploymentStageStatus;
  /**
   * Which run of the deployment ran it: 1, or more when a backend restart
   * made another replica resume it.
   */
  attempt: number;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while it runs. */
  finishedAt: string | null;
  /** Why it failed; null otherwise. */
  error: string | null;
}

/** @public Body of `GET /deployments/:id` and of the 202 that starts one. */
export interface DeploymentDetails extends Deployment {
  source: DeploymentSource;
  kind: DeploymentKind;
  /** The ref that was asked for (a branch, tag or sha); null for sample rows. */
  ref: string | null;
  commitSha: string | null;
  /** ISO 8601 commit time of `commitSha`; the lead time counts from it. */
  committedAt: string | null;
  /** What served in the environment when it was requested; null for a first deployment. */
  previousCommitSha: string | null;
  /** The stored settings version the commit's settings are, if one is stored. */
  settingsVersion: number | null;
  /** The settings of `deploy/paved-road.yaml` at the commit. */
  settings: DeploymentSettings | null;
  reason: string | null;
  /** Runs so far: more than 1 when a restart made it resume. */
  attempts: number;
  cancelRequestedBy: string | null;
  cancelRequestedAt: string | null;
  stages: DeploymentStage[];
}

/** @public Body of `POST /entities/:namespace/:kind/:name/deployments`. */
export interface CreateDeploymentRequest {
  /** Branch, tag or commit; defaults to the head of the default branch. */
  ref?: string;
  /** Defaults to {@link DEFAULT_DEPLOYMENT_ENVIRONMENT}. */
  environment?: string;
}

/** @public Body of `POST /entities/:namespace/:kind/:name/rollback`. */
export interface RollbackDeploymentRequest {
  /** Defaults to {@link DEFAULT_DEPLOYMENT_ENVIRONMENT}. */
  environment?: string;
}

/** @public One log line of a deployment. */
export interface DeploymentLogLine {
  /** Increases by one per line of a deployment, from 1. */
  seq: number;
  /** ISO 8601. */
  at: string;
  line: string;
}

/**
 * @public
 * Body of `GET /deployments/:id/events?after=<cursor>`: the lines after the
 * cursor, oldest first. Pass `cursor` as `after` to read on; when `finished`
 * is true and `items` is empty there is nothing more to come.
 */
export interface DeploymentEventsResponse {
  items: DeploymentLogLine[];
  cursor: string;
  finished: boolean;
  status: DeploymentStatus;
}

/** @public One running instance of a deployed service. */
export interface DeploymentRuntimeInstance {
  id: string;
  /** The commit sha it runs. */
  version: string;
  url: string;
  healthy: boolean;
  /** ISO 8601. */
  startedAt: string;
  restarts: number;
}

/**
 * @public
 * Body of `GET /entities/:namespace/:kind/:name/runtime`: what runs for the
 * entity in one environment (an empty `instances` list when nothing does).
 */
export interface DeploymentRuntime {
  entityRef: string;
  environment: string;
  /** The deployment provider that runs it, e.g. `local`. */
  provider: string;
  /** The stable URL spreading requests over the healthy instances; null when nothing runs. */
  url: string | null;
  instances: DeploymentRuntimeInstance[];
  desiredReplicas: number | null;
  /** e.g. why fewer instances run than the settings ask for. */
  note?: string;
}

/**
 * @public
 * Body of `GET /entities/:namespace/:kind/:name/dora?days=30`: the four DORA
 * figures over the last `days` days of one environment, computed from the
 * deployments the engine ran (sample history never counts). Durations are in
 * seconds; a figure with nothing to measure is null.
 */
export interface DoraMetrics {
  entityRef: string;
  environment: string;
  days: number;
  /** ISO 8601 bounds of the window. */
  from: string;
  to: string;
  deploymentFrequency: {
    /** Successful deployments in the window. */
    successful: number;
    /** `successful` per 7 days of the window. */
    perWeek: number;
  };
  /** Commit time to successful deployment, over the successful ones. */
  leadTimeForChanges: {
    medianSeconds: number | null;
    meanSeconds: number | null;
    deployments: number;
  };
  /** Failed or rolled back, of all finished deployments (cancelled ones left out). */
  changeFailureRate: {
    failed: number;
    total: number;
    /** 0..1 */
    rate: number | null;
  };
  /**
   * From a failure to the next successful deployment; failures in a row are
   * one incident, restored by the first success after them.
   */
  timeToRestore: {
    medianSeconds: number | null;
    incidents: number;
    restored: number;
  };
}

/**
 * @public
 * What the backend publishes with the signals plugin on
 * {@link deploymentSignalChannel} whenever a deployment of the entity changes
 * status or a stage starts or ends. It says what changed; read
 * `GET /deployments/:id` for the whole state.
 */
export interface DeploymentSignal {
  type: 'status' | 'stage';
  deploymentId: string;
  entityRef: string;
  environment: string;
  status: DeploymentStatus;
  /** The stage that changed, for `type: 'stage'`. */
  stage?: DeploymentStage;
}

/** @public The signals channel of an entity's deployments. */
export function deploymentSignalChannel(entityRef: string): string {
  return `deployments:${entityRef.toLocaleLowerCase('en-US')}`;
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
