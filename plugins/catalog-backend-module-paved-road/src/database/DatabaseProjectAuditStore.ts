import {
  DatabaseService,
  isDatabaseConflictError,
} from '@backstage/backend-plugin-api';
import {
  ProjectAuditRecord,
  ProjectAuditRecordRequest,
} from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import { ProjectAuditStore } from './ProjectAuditStore';
import { getMigratedClient, toDate } from './migrations';

const TABLE = 'paved_road_project_audit';

type Row = {
  task_id: string;
  created_by: string;
  template_ref: string;
  entity_ref: string;
  owner: string;
  business_unit: string | null;
  cost_center: string;
  repo_url: string;
  created_at: Date | string | number;
};

/** Knex-backed {@link ProjectAuditStore} in the catalog database. */
export class DatabaseProjectAuditStore implements ProjectAuditStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseProjectAuditStore> {
    return new DatabaseProjectAuditStore(
      await getMigratedClient(options.database),
    );
  }

  /** For tests that bring their own migrated client. */
  static fromClient(client: Knex): DatabaseProjectAuditStore {
    return new DatabaseProjectAuditStore(client);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async record(
    request: ProjectAuditRecordRequest,
    now: Date,
  ): Promise<{ record: ProjectAuditRecord; created: boolean }> {
    const row: Row = {
      task_id: request.taskId,
      created_by: request.createdBy,
      template_ref: request.templateRef,
      entity_ref: request.entityRef,
      owner: request.owner,
      business_unit: request.businessUnit ?? null,
      cost_center: request.costCenter,
      repo_url: request.repoUrl,
      created_at: now,
    };
    // Insert-or-keep in one statement, so two replicas racing on a retried
    // task cannot both think they created it.
    const inserted = await this.#db<Row>(TABLE)
      .insert(row)
      .onConflict('task_id')
      .ignore()
      .returning('task_id')
      .catch(error => {
        if (isDatabaseConflictError(error)) {
          return [];
        }
        throw error;
      });
    const created = Array.isArray(inserted) && inserted.length === 1;
    const stored = await this.#db<Row>(TABLE)
      .where({ task_id: request.taskId })
      .first();
    return { record: fromRow(stored!), created };
  }

  async list(options: {
    entityRef?: string;
    createdBy?: string;
    limit: number;
  }): Promise<ProjectAuditRecord[]> {
    const query = this.#db<Row>(TABLE);
    if (options.entityRef) {
      query.where({ entity_ref: options.entityRef });
    }
    if (options.createdBy) {
      query.where({ created_by: options.createdBy });
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'task_id', order: 'asc' },
      ])
      .limit(options.limit);
    return rows.map(fromRow);
  }
}

function fromRow(row: Row): ProjectAuditRecord {
  return {
    taskId: row.task_id,
    createdBy: row.created_by,
    templateRef: row.template_ref,
    entityRef: row.entity_ref,
    owner: row.owner,
    businessUnit: row.business_unit,
    costCenter: row.cost_center,
    repoUrl: row.repo_url,
    createdAt: toDate(row.created_at).toISOString(),
  };
}
