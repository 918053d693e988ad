import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  Deployment,
  DeploymentSettingsSource,
  DeploymentSettingsVersion,
  DeploymentStatus,
  SettingsErrorItem,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import {
  DeploymentsStore,
  InTransaction,
  StoredProject,
} from './DeploymentsStore';
import { isUniqueViolation, toIsoString } from './values';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-deployments-backend',
  'migrations',
);

// Keeps each insert well below SQLite's bound-variable limit.
const INSERT_CHUNK_SIZE = 50;

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  status: string;
  strategy: string;
  triggered_by: string;
  started_at: Date | string | number;
  finished_at: Date | string | number | null;
  source?: string;
  commit_sha?: string | null;
  reason?: string | null;
};

type SettingsRow = {
  entity_ref: string;
  version: number;
  settings: string;
  created_by: string;
  created_at: Date | string | number;
  source: string;
  commit_sha: string | null;
  commit_url: string | null;
  message: string | null;
};

type ProjectRow = {
  entity_ref: string;
  repo_url: string | null;
  deactivated: boolean | number;
  deactivated_by: string | null;
  deactivated_at: Date | string | number | null;
  synced_commit_sha: string | null;
  settings_error: string | null;
  settings_error_commit_sha: string | null;
  settings_error_at: Date | string | number | null;
};

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += INSERT_CHUNK_SIZE) {
    result.push(items.slice(i, i + INSERT_CHUNK_SIZE));
  }
  return result;
}

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    status: row.status as DeploymentStatus,
    strategy: row.strategy,
    triggeredBy: row.triggered_by,
    startedAt: toIsoString(row.started_at),
    finishedAt: row.finished_at === null ? null : toIsoString(row.finished_at),
    source: row.source === 'portal' ? 'portal' : 'sample',
    commitSha: row.commit_sha ?? null,
    reason: row.reason ?? null,
  };
}

function toSettingsVersion(row: SettingsRow): DeploymentSettingsVersion {
  return {
    entityRef: row.entity_ref,
    version: Number(row.version),
    // Written only after validation against deploymentSettingsSchema.
    settings: JSON.parse(row.settings) as DeploymentSettings,
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    source: row.source as DeploymentSettingsSource,
    commitSha: row.commit_sha,
    commitUrl: row.commit_url,
    message: row.message,
  };
}

function toSettingsRow(v: DeploymentSettingsVersion): SettingsRow {
  return {
    entity_ref: v.entityRef,
    version: v.version,
    settings: JSON.stringify(v.settings),
    created_by: v.createdBy,
    created_at: new Date(v.createdAt),
    source: v.source,
    commit_sha: v.commitSha,
    commit_url: v.commitUrl,
    message: v.message,
  };
}

function toProject(row: ProjectRow): StoredProject {
  return {
    entityRef: row.entity_ref,
    repoUrl: row.repo_url,
    deactivated: Boolean(row.deactivated),
    deactivatedBy: row.deactivated_by,
    deactivatedAt: row.deactivated_at ? toIsoString(row.deactivated_at) : null,
    settingsError: row.settings_error
      ? {
          message: row.settings_error,
          commitSha: row.settings_error_commit_sha,
          detectedAt: toIsoString(row.settings_error_at ?? Date.now()),
        }
      : null,
    syncedCommitSha: row.synced_commit_sha,
  };
}

/** {@link DeploymentsStore} on the plugin's own database. */
export class DatabaseDeploymentsStore implements DeploymentsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentsStore> {
    const { database } = options;
    const client = await database.getClient();

    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }

    return new DatabaseDeploymentsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async listDeployments(
    entityRef: string,
    options: { limit: number },
  ): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>('deployments')
      .where({ entity_ref: entityRef })
      // id breaks ties so pages are stable when two start at the same instant.
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toDeployment);
  }

  async getLatestSettings(
    entityRef: string,
  ): Promise<DeploymentSettingsVersion | undefined> {
    const row = await this.db<SettingsRow>('deployment_settings')
      .where({ entity_ref: entityRef })
      .orderBy('version', 'desc')
      .first();
    return row ? toSettingsVersion(row) : undefined;
  }

  async listSettingsVersions(
    entityRef: string,
  ): Promise<DeploymentSettingsVersion[]> {
    const rows = await this.db<SettingsRow>('deployment_settings')
      .where({ entity_ref: entityRef })
      .orderBy('version', 'desc');
    return rows.map(toSettingsVersion);
  }

  async insertDeployments(deployments: Deployment[]): Promise<void> {
    for (const chunk of chunks(deployments)) {
      await this.db<DeploymentRow>('deployments')
        .insert(
          chunk.map(d => ({
            id: d.id,
            entity_ref: d.entityRef,
            environment: d.environment,
            version: d.version,
            status: d.status,
            strategy: d.strategy,
            triggered_by: d.triggeredBy,
            started_at: new Date(d.startedAt),
            finished_at: d.finishedAt === null ? null : new Date(d.finishedAt),
          })),
        )
        .onConflict('id')
        .ignore();
    }
  }

  async getSettingsVersionByCommit(
    entityRef: string,
    commitSha: string,
  ): Promise<DeploymentSettingsVersion | undefined> {
    const row = await this.db<SettingsRow>('deployment_settings')
      .where({ entity_ref: entityRef, commit_sha: commitSha })
      .orderBy('version', 'desc')
      .first();
    return row ? toSettingsVersion(row) : undefined;
  }

  async insertSettingsVersions(
    versions: DeploymentSettingsVersion[],
  ): Promise<void> {
    for (const chunk of chunks(versions)) {
      await this.db<SettingsRow>('deployment_settings')
        .insert(chunk.map(toSettingsRow))
        .onConflict(['entity_ref', 'version'])
        .ignore();
    }
  }

  async appendSettingsVersion(
    version: DeploymentSettingsVersion,
    inTransaction?: InTransaction,
  ): Promise<void> {
    try {
      await this.db.transaction(async trx => {
        await trx<SettingsRow>('deployment_settings').insert(
          toSettingsRow(version),
        );
        await inTransaction?.(trx);
      });
    } catch (error) {
      // The primary key decides between concurrent writers; the loser's
      // transaction (and whatever inTransaction queued) rolls back.
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Version ${version.version} of ${version.entityRef} exists already`,
        );
      }
      throw error;
    }
  }

  async transaction(fn: InTransaction): Promise<void> {
    await this.db.transaction(fn);
  }

  async getProject(entityRef: string): Promise<StoredProject | undefined> {
    const row = await this.db<ProjectRow>('deployment_projects')
      .where({ entity_ref: entityRef })
      .first();
    return row ? toProject(row) : undefined;
  }

  async listSettingsErrors(): Promise<SettingsErrorItem[]> {
    const rows = await this.db<ProjectRow>('deployment_projects')
      .whereNotNull('settings_error')
      .orderBy('entity_ref')
      .select(
        'entity_ref',
        'settings_error',
        'settings_error_commit_sha',
        'settings_error_at',
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      // Never null here: the query keeps only rows that have one
      message: String(row.settings_error),
      commitSha: row.settings_error_commit_sha,
      detectedAt: toIsoString(row.settings_error_at ?? Date.now()),
    }));
  }

  async upsertProject(entityRef: string, repoUrl: string | null) {
    await this.db<ProjectRow>('deployment_projects')
      .insert({ entity_ref: entityRef, repo_url: repoUrl, deactivated: false })
      .onConflict('entity_ref')
      .merge(['repo_url']);
  }

  async setDeactivated(
    entityRef: string,
    deactivation: { by: string; at: string } | null,
    inTransaction?: InTransaction,
  ): Promise<void> {
    const values = {
      deactivated: deactivation !== null,
      deactivated_by: deactivation?.by ?? null,
      deactivated_at: deactivation ? new Date(deactivation.at) : null,
    };
    await this.db.transaction(async trx => {
      await trx<ProjectRow>('deployment_projects')
        .insert({ entity_ref: entityRef, repo_url: null, ...values })
        .onConflict('entity_ref')
        .merge(values);
      await inTransaction?.(trx);
    });
  }

  async setSyncResult(
    entityRef: string,
    result: {
      syncedCommitSha: string | null;
      settingsError: { message: string; commitSha: string | null } | null;
    },
  ): Promise<void> {
    const { syncedCommitSha, settingsError } = result;
    await this.db.transaction(async trx => {
      const current = await trx<ProjectRow>('deployment_projects')
        .where({ entity_ref: entityRef })
        .first();
      const sameError =
        settingsError &&
        current?.settings_error === settingsError.message &&
        current?.settings_error_commit_sha === settingsError.commitSha;
      const values = {
        synced_commit_sha: syncedCommitSha,
        settings_error: settingsError?.message ?? null,
        settings_error_commit_sha: settingsError?.commitSha ?? null,
        settings_error_at: settingsError
          ? (sameError && current?.settings_error_at) || new Date()
          : null,
      };
      await trx<ProjectRow>('deployment_projects')
        .insert({
          entity_ref: entityRef,
          repo_url: null,
          deactivated: false,
          ...values,
        })
        .onConflict('entity_ref')
        .merge(values);
    });
  }
}
