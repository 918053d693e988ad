import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  Deployment,
  DeploymentSettingsVersion,
  DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import { DeploymentsStore } from './DeploymentsStore';

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
};

type SettingsRow = {
  entity_ref: string;
  version: number;
  settings: string;
  created_by: string;
  created_at: Date | string | number;
};

/**
 * PostgreSQL returns timestamps as Date, SQLite as the epoch milliseconds
 * knex bound on insert (or a string for rows written by hand).
 */
function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}

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

  async insertSettingsVersions(
    versions: DeploymentSettingsVersion[],
  ): Promise<void> {
    for (const chunk of chunks(versions)) {
      await this.db<SettingsRow>('deployment_settings')
        .insert(
          chunk.map(v => ({
            entity_ref: v.entityRef,
            version: v.version,
            settings: JSON.stringify(v.settings),
            created_by: v.createdBy,
            created_at: new Date(v.createdAt),
          })),
        )
        .onConflict(['entity_ref', 'version'])
        .ignore();
    }
  }
}
