import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  FailingStep,
  TemplateCheck,
  TemplateHealthFigures,
  TemplateReport,
} from '@paved-road/plugin-templates-common';
import { Knex } from 'knex';
import { toIsoString } from '../database/values';

const migrationsDir = resolvePackagePath(
  '@paved-road/plugin-templates-backend',
  'migrations',
);

const TASKS = 'template_health_tasks';
const TEMPLATES = 'template_health_templates';
const PROJECTS = 'template_health_projects';
const REPORTS = 'template_health_reports';
const CHECKS = 'template_health_checks';
const COLLECTIONS = 'template_health_collections';
const COLLECTOR_ID = 'collector';
// Rows per INSERT: SQLite allows 999 bound values, a task row has 9.
const CHUNK = 100;

type Timestamp = Date | string | number;
// PostgreSQL returns counts and sums as strings (bigint), SQLite as numbers.
type Count = string | number;
type GroupRow = { template_ref: string; template_version?: string };

/** A finished scaffolder task as health figures need it. */
export type HealthTask = {
  taskId: string;
  templateRef: string;
  version: string;
  status: 'completed' | 'failed' | 'cancelled';
  createdBy?: string;
  createdAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  failedStep?: string;
};

/** A template in the catalog. */
export type HealthTemplate = {
  templateRef: string;
  title?: string;
  latestVersion?: string;
};

/** A catalog entity made from a template, with its latest deployment outcome. */
export type HealthProject = {
  entityRef: string;
  templateRef: string;
  version: string;
  /** Status of its latest finished deployment; undefined when it has none. */
  deploymentStatus?: string;
};

/** Figures grouped by template, or by template and version. */
export type FiguresKey = { templateRef: string; version?: string };

/** Map key of {@link FiguresKey}. */
export function figuresKey({ templateRef, version }: FiguresKey): string {
  return version === undefined ? templateRef : `${templateRef}\u0000${version}`;
}

/** Figures of nothing: a template without tasks or projects. */
export function emptyFigures(): TemplateHealthFigures {
  return {
    taskCount: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    successRate: null,
    p50DurationMs: null,
    p95DurationMs: null,
    projectCount: 0,
    deployedProjects: 0,
    deploySucceeded: 0,
  };
}

type FiguresQuery = {
  /** Group by version as well as by template. */
  byVersion: boolean;
  /** Only this template. */
  templateRef?: string;
  /** Only tasks created at or after this time (projects are not dated). */
  since?: Date;
};

/**
 * Template health rows. Figures are computed in SQL (grouping and window
 * functions both SQLite and PostgreSQL have), never by loading every task.
 */
export class DatabaseTemplateHealthStore {
  private constructor(private readonly db: Knex) {}

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseTemplateHealthStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseTemplateHealthStore(client);
  }

  /** Which of these task ids are stored already. */
  async knownTaskIds(taskIds: string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < taskIds.length; i += CHUNK) {
      const rows = await this.db(TASKS)
        .whereIn('task_id', taskIds.slice(i, i + CHUNK))
        .select<{ task_id: string }[]>('task_id');
      rows.forEach(row => known.add(row.task_id));
    }
    return known;
  }

  /** Stores finished tasks; a task stored before is left as it was. */
  async addTasks(tasks: HealthTask[]): Promise<void> {
    for (let i = 0; i < tasks.length; i += CHUNK) {
      await this.db(TASKS)
        .insert(
          tasks.slice(i, i + CHUNK).map(task => ({
            task_id: task.taskId,
            template_ref: task.templateRef,
            template_version: task.version,
            status: task.status,
            created_by: task.createdBy ?? null,
            created_at: task.createdAt,
            finished_at: task.finishedAt ?? null,
            duration_ms: task.durationMs ?? null,
            failed_step: task.failedStep ?? null,
          })),
        )
        .onConflict('task_id')
        .ignore();
    }
  }

  /** Replaces the templates and projects with what the catalog holds now. */
  async replaceCatalog(
    templates: HealthTemplate[],
    projects: HealthProject[],
    collectedAt: Date,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      await trx(TEMPLATES).delete();
      for (let i = 0; i < templates.length; i += CHUNK) {
        await trx(TEMPLATES).insert(
          templates.slice(i, i + CHUNK).map(t => ({
            template_ref: t.templateRef,
            title: t.title ?? null,
            latest_version: t.latestVersion ?? null,
          })),
        );
      }
      await trx(PROJECTS).delete();
      for (let i = 0; i < projects.length; i += CHUNK) {
        await trx(PROJECTS).insert(
          projects.slice(i, i + CHUNK).map(p => ({
            entity_ref: p.entityRef,
            template_ref: p.templateRef,
            template_version: p.version,
            deployment_status: p.deploymentStatus ?? null,
          })),
        );
      }
      await trx(COLLECTIONS)
        .insert({ id: COLLECTOR_ID, collected_at: collectedAt })
        .onConflict('id')
        .merge();
    });
  }

  async collectedAt(): Promise<string | undefined> {
    const row = await this.db(COLLECTIONS)
      .where({ id: COLLECTOR_ID })
      .first<{ collected_at: Timestamp } | undefined>('collected_at');
    return row ? toIsoString(row.collected_at) : undefined;
  }

  async listTemplates(): Promise<HealthTemplate[]> {
    const rows = await this.db(TEMPLATES).orderBy('template_ref').select<
      {
        template_ref: string;
        title: string | null;
        latest_version: string | null;
      }[]
    >('template_ref', 'title', 'latest_version');
    return rows.map(row => ({
      templateRef: row.template_ref,
      ...(row.title ? { title: row.title } : {}),
      ...(row.latest_version ? { latestVersion: row.latest_version } : {}),
    }));
  }

  /**
   * Task and project figures per template (or template and version). Success
   * rate leaves cancelled tasks out; durations are of completed tasks, at
   * nearest rank.
   */
  async figures(
    query: FiguresQuery,
  ): Promise<Map<string, FiguresKey & { figures: TemplateHealthFigures }>> {
    const groupCols = query.byVersion
      ? ['template_ref', 'template_version']
      : ['template_ref'];
    const result = new Map<
      string,
      FiguresKey & { figures: TemplateHealthFigures }
    >();
    const entry = (row: GroupRow) => {
      const key: FiguresKey = {
        templateRef: row.template_ref,
        ...(query.byVersion ? { version: row.template_version } : {}),
      };
      const k = figuresKey(key);
      let found = result.get(k);
      if (!found) {
        found = { ...key, figures: emptyFigures() };
        result.set(k, found);
      }
      return found.figures;
    };

    const tasks = () => {
      const q = this.db(TASKS);
      if (query.templateRef) {
        q.where('template_ref', query.templateRef);
      }
      if (query.since) {
        q.where('created_at', '>=', query.since);
      }
      return q;
    };

    const counts = await tasks()
      .select(groupCols)
      .select(
        this.db.raw(
          "sum(case when status = 'completed' then 1 else 0 end) as succeeded",
        ),
        this.db.raw(
          "sum(case when status = 'failed' then 1 else 0 end) as failed",
        ),
        this.db.raw(
          "sum(case when status = 'cancelled' then 1 else 0 end) as cancelled",
        ),
      )
      .groupBy(groupCols);
    for (const row of counts) {
      const figures = entry(row);
      figures.succeeded = Number(row.succeeded);
      figures.failed = Number(row.failed);
      figures.cancelled = Number(row.cancelled);
      figures.taskCount =
        figures.succeeded + figures.failed + figures.cancelled;
      const decided = figures.succeeded + figures.failed;
      figures.successRate = decided === 0 ? null : figures.succeeded / decided;
    }

    // Nearest rank: the ceil(p * n)-th smallest, as (p100 * n + 99) / 100 in
    // integer division, which both databases do for integers.
    const partition = groupCols.map(() => '??').join(', ');
    const ranked = tasks()
      .where('status', 'completed')
      .whereNotNull('duration_ms')
      .select([...groupCols, 'duration_ms'])
      .select(
        this.db.raw(
          `row_number() over (partition by ${partition} order by duration_ms) as rn`,
          groupCols,
        ),
        this.db.raw(
          `count(*) over (partition by ${partition}) as n`,
          groupCols,
        ),
      )
      .as('ranked');
    const percentiles = await this.db
      .from(ranked)
      .select([...groupCols, 'duration_ms', 'rn', 'n'])
      .whereRaw('rn = (50 * n + 99) / 100')
      .orWhereRaw('rn = (95 * n + 99) / 100');
    for (const row of percentiles) {
      const figures = entry(row);
      const n = Number(row.n);
      const rn = Number(row.rn);
      const value = Number(row.duration_ms);
      if (rn === Math.ceil((50 * n) / 100)) {
        figures.p50DurationMs = value;
      }
      if (rn === Math.ceil((95 * n) / 100)) {
        figures.p95DurationMs = value;
      }
    }

    const projects = this.db(PROJECTS);
    if (query.templateRef) {
      projects.where('template_ref', query.templateRef);
    }
    const projectCounts = (await projects
      .select(groupCols)
      .count({ projects: '*' })
      .count({ deployed: 'deployment_status' })
      .select(
        this.db.raw(
          "sum(case when deployment_status = 'succeeded' then 1 else 0 end) as deploy_succeeded",
        ),
      )
      .groupBy(groupCols)) as unknown as (GroupRow & {
      projects: Count;
      deployed: Count;
      deploy_succeeded: Count;
    })[];
    for (const row of projectCounts) {
      const figures = entry(row);
      figures.projectCount = Number(row.projects);
      figures.deployedProjects = Number(row.deployed);
      figures.deploySucceeded = Number(row.deploy_succeeded);
    }
    return result;
  }

  /** The steps that ended failed tasks most often, most first. */
  async failingSteps(query: {
    templateRef: string;
    byVersion: boolean;
    limit: number;
  }): Promise<Map<string, FailingStep[]>> {
    const groupCols = query.byVersion
      ? ['template_ref', 'template_version']
      : ['template_ref'];
    const rows = (await this.db(TASKS)
      .where({ template_ref: query.templateRef, status: 'failed' })
      .whereNotNull('failed_step')
      .select([...groupCols, 'failed_step'])
      .count({ count: '*' })
      .groupBy([...groupCols, 'failed_step'])
      .orderBy([
        { column: 'count', order: 'desc' },
        { column: 'failed_step', order: 'asc' },
      ])) as unknown as (GroupRow & { failed_step: string; count: Count })[];
    const result = new Map<string, FailingStep[]>();
    for (const row of rows) {
      const key = figuresKey({
        templateRef: row.template_ref,
        ...(query.byVersion ? { version: row.template_version } : {}),
      });
      const steps = result.get(key) ?? [];
      if (steps.length < query.limit) {
        steps.push({ stepId: row.failed_step, count: Number(row.count) });
      }
      result.set(key, steps);
    }
    return result;
  }

  async addReport(report: TemplateReport): Promise<void> {
    await this.db(REPORTS).insert({
      id: report.id,
      template_ref: report.templateRef,
      template_version: report.version,
      entity_ref: report.entityRef ?? null,
      message: report.message,
      reported_by: report.reportedBy,
      created_at: new Date(report.createdAt),
    });
  }

  /** A template's reports, newest first. */
  async listReports(
    templateRef: string,
    limit: number,
  ): Promise<TemplateReport[]> {
    const rows = await this.newest(REPORTS, templateRef, limit);
    return rows.map(row => ({
      id: row.id,
      templateRef: row.template_ref,
      version: row.template_version,
      ...(row.entity_ref ? { entityRef: row.entity_ref } : {}),
      message: row.message,
      reportedBy: row.reported_by,
      createdAt: toIsoString(row.created_at),
    }));
  }

  /** Reports per template and version since a time. */
  async countReports(since: Date): Promise<Map<string, number>> {
    const rows = (await this.db(REPORTS)
      .where('created_at', '>=', since)
      .select('template_ref', 'template_version')
      .count({ count: '*' })
      .groupBy('template_ref', 'template_version')) as unknown as (GroupRow & {
      count: Count;
    })[];
    return new Map(
      rows.map(row => [
        figuresKey({
          templateRef: String(row.template_ref),
          version: String(row.template_version),
        }),
        Number(row.count),
      ]),
    );
  }

  /**
   * Records a check result. The latest result of a check decides, so a
   * result never shares its time with an earlier one of the same check:
   * two runs reported in one millisecond keep the order they came in.
   */
  async addCheck(check: TemplateCheck): Promise<TemplateCheck> {
    return this.db.transaction(async trx => {
      const previous = await trx(CHECKS)
        .where({
          template_ref: check.templateRef,
          template_version: check.version,
          name: check.name,
        })
        .max({ at: 'created_at' })
        .first();
      let createdAt = new Date(check.createdAt);
      const last = previous?.at ? new Date(previous.at) : undefined;
      if (last && createdAt <= last) {
        createdAt = new Date(last.getTime() + 1);
      }
      await trx(CHECKS).insert({
        id: check.id,
        template_ref: check.templateRef,
        template_version: check.version,
        name: check.name,
        status: check.status,
        url: check.url ?? null,
        reported_by: check.reportedBy,
        created_at: createdAt,
      });
      return { ...check, createdAt: createdAt.toISOString() };
    });
  }

  /** A template's check results, newest first. */
  async listChecks(
    templateRef: string,
    limit: number,
  ): Promise<TemplateCheck[]> {
    return (await this.newest(CHECKS, templateRef, limit)).map(toCheck);
  }

  /** A template's rows of a dated table, newest first. */
  private newest(table: string, templateRef: string, limit: number) {
    return this.db(table)
      .where({ template_ref: templateRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .select();
  }

  /** The latest result of every check name, per template and version. */
  async latestChecks(templateRef?: string): Promise<TemplateCheck[]> {
    const ranked = this.db(CHECKS)
      .select('*')
      .select(
        this.db.raw(
          'row_number() over (partition by template_ref, template_version, name order by created_at desc, id desc) as rn',
        ),
      );
    if (templateRef) {
      ranked.where({ template_ref: templateRef });
    }
    const rows = await this.db
      .from(ranked.as('ranked'))
      .where('rn', 1)
      .orderBy(['template_ref', 'template_version', 'name'])
      .select();
    return rows.map(toCheck);
  }
}

function toCheck(row: {
  id: string;
  template_ref: string;
  template_version: string;
  name: string;
  status: string;
  url: string | null;
  reported_by: string;
  created_at: Timestamp;
}): TemplateCheck {
  return {
    id: row.id,
    templateRef: row.template_ref,
    version: row.template_version,
    name: row.name,
    status: row.status as TemplateCheck['status'],
    ...(row.url ? { url: row.url } : {}),
    reportedBy: row.reported_by,
    createdAt: toIsoString(row.created_at),
  };
}
