import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-deployments-backend-module-local',
  'migrations',
);

/**
 * Its own migrations table: the module shares the deployments plugin's
 * database, whose `knex_migrations` belongs to the plugin.
 */
export const MIGRATIONS_TABLE = 'knex_migrations_deployments_local';

/** One service: an entity in an environment. */
export interface ServiceKey {
  entityRef: string;
  environment: string;
}

/** The deployment whose rollout completed, and what it needs to run. */
export interface ServingDeployment {
  deploymentId: string;
  /** Commit sha. */
  version: string;
  /** Path of the jar (or, in tests, the script) it runs. */
  artifact: string;
  /** Instances to keep running. */
  instances: number;
  /** What the settings asked for, before the local cap. */
  replicas: number;
  memoryMiB: number;
  healthCheckPath: string;
}

export interface StoredService extends ServiceKey {
  port: number;
  host: string;
  /** The backend process that runs it; null once it stopped cleanly. */
  ownerPid: number | null;
  serving: ServingDeployment | null;
}

export interface StoredInstance extends ServiceKey {
  id: string;
  deploymentId: string;
  version: string;
  artifact: string;
  pid: number;
  port: number;
  /** ISO 8601. */
  startedAt: string;
  restarts: number;
}

type ServiceRow = {
  entity_ref: string;
  environment: string;
  port: number;
  host: string;
  owner_pid: number | null;
  deployment_id: string | null;
  version: string | null;
  artifact: string | null;
  instances: number;
  replicas: number | null;
  memory_mib: number | null;
  health_check_path: string | null;
  updated_at: Date | string | number;
};

type InstanceRow = {
  id: string;
  entity_ref: string;
  environment: string;
  deployment_id: string;
  version: string;
  artifact: string;
  pid: number;
  port: number;
  started_at: Date | string | number;
  restarts: number;
};

/** PostgreSQL's unique_violation and SQLite's constraint errors. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

function toService(row: ServiceRow): StoredService {
  return {
    entityRef: row.entity_ref,
    environment: row.environment,
    port: Number(row.port),
    host: row.host,
    ownerPid: row.owner_pid === null ? null : Number(row.owner_pid),
    serving:
      row.deployment_id && row.version && row.artifact
        ? {
            deploymentId: row.deployment_id,
            version: row.version,
            artifact: row.artifact,
            instances: Number(row.instances),
            replicas: Number(row.replicas ?? row.instances),
            memoryMiB: Number(row.memory_mib ?? 0),
            healthCheckPath: row.health_check_path ?? '/',
          }
        : null,
  };
}

function toInstance(row: InstanceRow): StoredInstance {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    deploymentId: row.deployment_id,
    version: row.version,
    artifact: row.artifact,
    pid: Number(row.pid),
    port: Number(row.port),
    startedAt: new Date(row.started_at).toISOString(),
    restarts: Number(row.restarts),
  };
}

const where = (key: ServiceKey) => ({
  entity_ref: key.entityRef,
  environment: key.environment,
});

/**
 * What the local runtime keeps so it survives restarts: each service's
 * stable port, owner and serving deployment, and every process it started.
 */
export class LocalRuntimeStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<LocalRuntimeStore> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: migrationsDir,
        tableName: MIGRATIONS_TABLE,
      });
    }
    return new LocalRuntimeStore(db);
  }

  async listServices(): Promise<StoredService[]> {
    const rows = await this.db<ServiceRow>('local_runtime_services').orderBy(
      'port',
    );
    return rows.map(toService);
  }

  async getService(key: ServiceKey): Promise<StoredService | undefined> {
    const row = await this.db<ServiceRow>('local_runtime_services')
      .where(where(key))
      .first();
    return row ? toService(row) : undefined;
  }

  async usedPorts(): Promise<number[]> {
    const ports = await this.db('local_runtime_services').pluck('port');
    return ports.map(Number);
  }

  /**
   * Records a new service on a port. Throws a unique violation (see
   * isUniqueViolation) when the service or the port is taken meanwhile.
   */
  async insertService(
    service: ServiceKey & { port: number; host: string; ownerPid: number },
  ): Promise<void> {
    await this.db<ServiceRow>('local_runtime_services').insert({
      ...where(service),
      port: service.port,
      host: service.host,
      owner_pid: service.ownerPid,
      instances: 0,
      updated_at: new Date(),
    });
  }

  /**
   * Takes ownership when the recorded owner is still `expected` (compare
   * and set, so two processes never both take a service). True when taken.
   */
  async claimService(
    key: ServiceKey,
    owner: { host: string; pid: number },
    expected: { host: string; pid: number | null },
  ): Promise<boolean> {
    const updated = await this.db<ServiceRow>('local_runtime_services')
      .where(where(key))
      .andWhere({ host: expected.host })
      .andWhere(q =>
        expected.pid === null
          ? q.whereNull('owner_pid')
          : q.where('owner_pid', expected.pid),
      )
      .update({
        host: owner.host,
        owner_pid: owner.pid,
        updated_at: new Date(),
      });
    return updated === 1;
  }

  /** Clears the owner of every service of a process that stops cleanly. */
  async releaseServices(owner: { host: string; pid: number }): Promise<void> {
    await this.db<ServiceRow>('local_runtime_services')
      .where({ host: owner.host, owner_pid: owner.pid })
      .update({ owner_pid: null, updated_at: new Date() });
  }

  async setPort(key: ServiceKey, port: number): Promise<void> {
    await this.db<ServiceRow>('local_runtime_services')
      .where(where(key))
      .update({ port, updated_at: new Date() });
  }

  async setServing(
    key: ServiceKey,
    serving: ServingDeployment | null,
  ): Promise<void> {
    await this.db<ServiceRow>('local_runtime_services')
      .where(where(key))
      .update({
        deployment_id: serving?.deploymentId ?? null,
        version: serving?.version ?? null,
        artifact: serving?.artifact ?? null,
        instances: serving?.instances ?? 0,
        replicas: serving?.replicas ?? null,
        memory_mib: serving?.memoryMiB ?? null,
        health_check_path: serving?.healthCheckPath ?? null,
        updated_at: new Date(),
      });
  }

  /** Forgets a service and its instances, which frees its port. */
  async deleteService(key: ServiceKey): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('local_runtime_instances').where(where(key)).delete();
      await tx('local_runtime_services').where(where(key)).delete();
    });
  }

  async listInstances(key?: ServiceKey): Promise<StoredInstance[]> {
    const query = this.db<InstanceRow>('local_runtime_instances').orderBy([
      'started_at',
      'id',
    ]);
    if (key) query.where(where(key));
    return (await query).map(toInstance);
  }

  async insertInstance(instance: StoredInstance): Promise<void> {
    await this.db<InstanceRow>('local_runtime_instances').insert({
      id: instance.id,
      ...where(instance),
      deployment_id: instance.deploymentId,
      version: instance.version,
      artifact: instance.artifact,
      pid: instance.pid,
      port: instance.port,
      started_at: new Date(instance.startedAt),
      restarts: instance.restarts,
    });
  }

  /** After a restart of a crashed instance: its new process. */
  async updateInstance(
    id: string,
    changes: { pid: number; port: number; startedAt: string; restarts: number },
  ): Promise<void> {
    await this.db<InstanceRow>('local_runtime_instances')
      .where({ id })
      .update({
        pid: changes.pid,
        port: changes.port,
        started_at: new Date(changes.startedAt),
        restarts: changes.restarts,
      });
  }

  async deleteInstance(id: string): Promise<void> {
    await this.db('local_runtime_instances').where({ id }).delete();
  }
}
