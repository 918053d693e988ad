import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  DeploymentEnvironmentsStore,
  EnvironmentDeployment,
  StoredEnvironment,
} from './DeploymentEnvironmentsStore';
import { InTransaction } from './DeploymentsStore';
import { toIsoOrNull, toIsoString } from './values';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-deployments-backend',
  'migrations',
);

const TABLE = 'deployment_environments';

type Timestamp = Date | string | number;

type EnvironmentRow = {
  entity_ref: string;
  name: string;
  kind: string;
  branch: string | null;
  created_by: string;
  created_at: Timestamp;
  last_deployed_at: Timestamp;
  expires_at: Timestamp | null;
  torn_down_at: Timestamp | null;
  torn_down_by: string | null;
};

function toEnvironment(row: EnvironmentRow): StoredEnvironment {
  return {
    entityRef: row.entity_ref,
    name: row.name,
    kind: row.kind === 'preview' ? 'preview' : 'standard',
    branch: row.branch,
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    lastDeployedAt: toIsoString(row.last_deployed_at),
    expiresAt: toIsoOrNull(row.expires_at),
    tornDownAt: toIsoOrNull(row.torn_down_at),
    tornDownBy: row.torn_down_by,
  };
}

/** {@link DeploymentEnvironmentsStore} on the plugin's own database. */
export class DatabaseDeploymentEnvironmentsStore
  implements DeploymentEnvironmentsStore
{
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentEnvironmentsStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseDeploymentEnvironmentsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async recordDeployment(
    trx: Knex.Transaction,
    deployment: EnvironmentDeployment,
  ): Promise<void> {
    const key = { entity_ref: deployment.entityRef, name: deployment.name };
    // The row lock (PostgreSQL; SQLite has one writer) keeps a teardown from
    // marking the environment between this read and the write below: its
    // compare-and-set on last_deployed_at then finds the renewed row.
    const row: EnvironmentRow | undefined = await trx<EnvironmentRow>(TABLE)
      .where(key)
      .forUpdate()
      .first();
    // A new environment, or a torn-down one brought back: a new life,
    // created by whoever deploys it now.
    const created = {
      kind: deployment.kind,
      branch: deployment.branch,
      created_by: deployment.by,
      created_at: deployment.at,
      last_deployed_at: deployment.at,
      expires_at: deployment.expiresAt,
      torn_down_at: null,
      torn_down_by: null,
    };
    if (!row) {
      await trx<EnvironmentRow>(TABLE).insert({ ...key, ...created });
      return;
    }
    if (row.torn_down_at !== null) {
      await trx<EnvironmentRow>(TABLE).where(key).update(created);
      return;
    }
    if (row.kind === 'preview' && row.branch !== deployment.branch) {
      throw new ConflictError(
        `${deployment.name} is the preview of branch ${row.branch}; tear it down before deploying ${deployment.branch} there`,
      );
    }
    await trx<EnvironmentRow>(TABLE).where(key).update({
      last_deployed_at: deployment.at,
      expires_at: deployment.expiresAt,
    });
  }

  async get(
    entityRef: string,
    name: string,
  ): Promise<StoredEnvironment | undefined> {
    const row = await this.db<EnvironmentRow>(TABLE)
      .where({ entity_ref: entityRef, name })
      .first();
    return row ? toEnvironment(row) : undefined;
  }

  async listLive(entityRef: string): Promise<StoredEnvironment[]> {
    const rows = await this.db<EnvironmentRow>(TABLE)
      .where({ entity_ref: entityRef })
      .whereNull('torn_down_at')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'name', order: 'asc' },
      ]);
    return rows.map(toEnvironment);
  }

  async listExpired(
    now: Date,
    options: { limit: number },
  ): Promise<StoredEnvironment[]> {
    const rows = await this.db<EnvironmentRow>(TABLE)
      .where({ kind: 'preview' })
      .whereNull('torn_down_at')
      .where('expires_at', '<=', now)
      .orderBy([
        { column: 'expires_at', order: 'asc' },
        { column: 'entity_ref', order: 'asc' },
        { column: 'name', order: 'asc' },
      ])
      .limit(options.limit);
    return rows.map(toEnvironment);
  }

  async markTornDown(
    environment: StoredEnvironment,
    teardown: { by: string; at: Date },
    inTransaction?: InTransaction,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      // Compare-and-set: a deployment queued since the environment was read
      // moved last_deployed_at, and a concurrent teardown set torn_down_at.
      const updated = await trx<EnvironmentRow>(TABLE)
        .where({ entity_ref: environment.entityRef, name: environment.name })
        .whereNull('torn_down_at')
        .where('last_deployed_at', new Date(environment.lastDeployedAt))
        .update({ torn_down_at: teardown.at, torn_down_by: teardown.by });
      if (updated !== 1) {
        return false;
      }
      await inTransaction?.(trx);
      return true;
    });
  }
}
