import type { DeploymentEnvironment } from '@paved-road/plugin-deployments-common';
import type { Knex } from 'knex';
import type { InTransaction } from './DeploymentsStore';

/** One environment of one entity, as stored. */
export interface StoredEnvironment {
  entityRef: string;
  name: string;
  kind: DeploymentEnvironment['kind'];
  /** The branch a preview deploys; null for a standard environment. */
  branch: string | null;
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601: when the last deployment to it was queued. */
  lastDeployedAt: string;
  /** ISO 8601; null for a standard environment. */
  expiresAt: string | null;
  /** ISO 8601; null while it is live. */
  tornDownAt: string | null;
  tornDownBy: string | null;
}

/** A deployment queued to an environment, as the environment records it. */
export interface EnvironmentDeployment {
  entityRef: string;
  name: string;
  kind: DeploymentEnvironment['kind'];
  branch: string | null;
  by: string;
  at: Date;
  /** Previews: `at` + the TTL; null for a standard environment. */
  expiresAt: Date | null;
}

/**
 * The environments each entity has been deployed to: the `production`s and
 * the previews, live or torn down.
 */
export interface DeploymentEnvironmentsStore {
  /**
   * Creates the environment, renews it (last deployment, expiry) or brings a
   * torn-down one back (created anew by this deployment), inside the
   * transaction that queues the deployment. Throws ConflictError when a live
   * preview of that name deploys another branch (`feature/x` and
   * `feature-x` share `preview-feature-x`): the run rolls back with it.
   */
  recordDeployment(
    trx: Knex.Transaction,
    deployment: EnvironmentDeployment,
  ): Promise<void>;

  get(entityRef: string, name: string): Promise<StoredEnvironment | undefined>;

  /** An entity's environments that are not torn down, newest first. */
  listLive(entityRef: string): Promise<StoredEnvironment[]>;

  /** Live previews of any entity whose expiry is at or before `now`, oldest expiry first. */
  listExpired(
    now: Date,
    options: { limit: number },
  ): Promise<StoredEnvironment[]>;

  /**
   * Marks the environment torn down, with `inTransaction` (its audit event),
   * only while it is live and nothing was deployed to it since `environment`
   * was read. False (and nothing written) otherwise.
   */
  markTornDown(
    environment: StoredEnvironment,
    teardown: { by: string; at: Date },
    inTransaction?: InTransaction,
  ): Promise<boolean>;
}
