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
  /** Entity ref of whoever made the change. */
  createdBy: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
}

/** @public Body of `GET /entities/:namespace/:kind/:name/deployments`, newest first. */
export interface DeploymentListResponse {
  items: Deployment[];
}

/** @public Body of `GET /entities/:namespace/:kind/:name/settings/versions`, newest first. */
export interface DeploymentSettingsVersionListResponse {
  items: DeploymentSettingsVersion[];
}
