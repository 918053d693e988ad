import type {
  Deployment,
  DeploymentSettingsVersion,
  ProjectSettingsError,
  ProjectState,
  SettingsErrorItem,
} from '@paved-road/plugin-deployments-common';
import type { Knex } from 'knex';

/**
 * Work that must commit or roll back together with a store write, such as
 * queueing the audit event that records it.
 */
export type InTransaction = (trx: Knex.Transaction) => Promise<void>;

/** A project's row: its state plus what the repository sync last saw. */
export interface StoredProject extends ProjectState {
  syncedCommitSha: string | null;
}

/**
 * Persistence of deployment history, versioned deployment settings and
 * project state. Every `entityRef` is a lowercase, full entity ref.
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

  /** The version a commit holds, if one was stored for it. */
  getSettingsVersionByCommit(
    entityRef: string,
    commitSha: string,
  ): Promise<DeploymentSettingsVersion | undefined>;

  /**
   * Inserts deployments; an id that already exists is left untouched, so
   * importing the same data twice (or from several replicas) is harmless.
   */
  insertDeployments(deployments: Deployment[]): Promise<void>;

  /**
   * Inserts settings versions; an (entityRef, version) that already exists is
   * left untouched. For sample data only: real changes use
   * {@link DeploymentsStore.appendSettingsVersion}.
   */
  insertSettingsVersions(versions: DeploymentSettingsVersion[]): Promise<void>;

  /**
   * Stores one new version, and runs `inTransaction` in the same
   * transaction. Throws ConflictError when that (entityRef, version) exists
   * already: of two writers that started from the same version, exactly one
   * succeeds.
   */
  appendSettingsVersion(
    version: DeploymentSettingsVersion,
    inTransaction?: InTransaction,
  ): Promise<void>;

  /** Runs `fn` in one transaction, e.g. to queue an event on its own. */
  transaction(fn: InTransaction): Promise<void>;

  /** A project's row, or undefined when the portal has not seen it. */
  getProject(entityRef: string): Promise<StoredProject | undefined>;

  /** Every project whose descriptor is invalid now, by entity ref. */
  listSettingsErrors(): Promise<SettingsErrorItem[]>;

  /** Records a project and where its repository lives; keeps its state. */
  upsertProject(entityRef: string, repoUrl: string | null): Promise<void>;

  /** Sets or clears (`null`) the deactivation, together with `inTransaction`. */
  setDeactivated(
    entityRef: string,
    deactivation: { by: string; at: string } | null,
    inTransaction?: InTransaction,
  ): Promise<void>;

  /**
   * Records what the sync saw at the head: the descriptor's commit, and the
   * reason it was not taken (or null when it was fine). An error that is
   * already recorded keeps the time it was first seen.
   */
  setSyncResult(
    entityRef: string,
    result: {
      syncedCommitSha: string | null;
      settingsError: Omit<ProjectSettingsError, 'detectedAt'> | null;
    },
  ): Promise<void>;
}
