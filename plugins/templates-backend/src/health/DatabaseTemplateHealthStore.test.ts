import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import path from 'node:path';
import {
  DatabaseTemplateHealthStore,
  figuresKey,
  type HealthTask,
} from './DatabaseTemplateHealthStore';

jest.setTimeout(60_000);

const KOTLIN = 'template:default/kotlin-spring-service';
const DOCS = 'template:default/docs-site';
const start = new Date('2026-12-01T10:00:00Z');

function task(
  id: string,
  overrides: Partial<HealthTask> & { minutes?: number; seconds?: number },
): HealthTask {
  const { minutes = 0, seconds, ...rest } = overrides;
  const createdAt = new Date(start.getTime() + minutes * 60_000);
  const durationMs = seconds === undefined ? undefined : seconds * 1000;
  return {
    taskId: id,
    templateRef: KOTLIN,
    version: '1.0.0',
    status: 'completed',
    createdAt,
    ...(durationMs !== undefined
      ? { durationMs, finishedAt: new Date(createdAt.getTime() + durationMs) }
      : {}),
    ...rest,
  };
}

/**
 * kotlin 1.0.0: 10 completed tasks of 10..100 s, 2 failed at `publish`, 1
 * cancelled. kotlin 1.1.0: 3 completed (5, 7, 9 s), 1 failed at `fetch`, 1
 * failed at `publish`. docs-site: one failed task without a step.
 */
const history: HealthTask[] = [
  ...Array.from({ length: 10 }, (_, i) =>
    task(`k1-ok-${i}`, { minutes: i, seconds: (i + 1) * 10 }),
  ),
  task('k1-fail-1', {
    minutes: 20,
    status: 'failed',
    failedStep: 'publish',
    seconds: 3,
  }),
  task('k1-fail-2', {
    minutes: 21,
    status: 'failed',
    failedStep: 'publish',
    seconds: 4,
  }),
  task('k1-cancel', { minutes: 22, status: 'cancelled', seconds: 1 }),
  task('k2-ok-1', { version: '1.1.0', minutes: 30, seconds: 9 }),
  task('k2-ok-2', { version: '1.1.0', minutes: 31, seconds: 5 }),
  task('k2-ok-3', { version: '1.1.0', minutes: 32, seconds: 7 }),
  task('k2-fail-1', {
    version: '1.1.0',
    minutes: 33,
    status: 'failed',
    failedStep: 'fetch',
  }),
  task('k2-fail-2', {
    version: '1.1.0',
    minutes: 34,
    status: 'failed',
    failedStep: 'publish',
  }),
  task('docs-fail', {
    templateRef: DOCS,
    version: 'unversioned',
    status: 'failed',
  }),
];

describe('DatabaseTemplateHealthStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseTemplateHealthStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  it.each(databases.eachSupportedId())(
    'computes counts, success rate and p50/p95 per template and version from a known history, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.addTasks(history);

      const perTemplate = await store.figures({ byVersion: false });
      expect(perTemplate.get(KOTLIN)?.figures).toEqual({
        taskCount: 18,
        succeeded: 13,
        failed: 4,
        cancelled: 1,
        successRate: 13 / 17,
        // Completed durations sorted: 5 7 9 10 20 … 100 (13); rank 7 and 13.
        p50DurationMs: 40_000,
        p95DurationMs: 100_000,
        projectCount: 0,
        deployedProjects: 0,
        deploySucceeded: 0,
      });
      expect(perTemplate.get(DOCS)?.figures).toMatchObject({
        taskCount: 1,
        successRate: 0,
        p50DurationMs: null,
        p95DurationMs: null,
      });

      const perVersion = await store.figures({
        byVersion: true,
        templateRef: KOTLIN,
      });
      expect([...perVersion.keys()].sort()).toEqual([
        figuresKey({ templateRef: KOTLIN, version: '1.0.0' }),
        figuresKey({ templateRef: KOTLIN, version: '1.1.0' }),
      ]);
      expect(
        perVersion.get(figuresKey({ templateRef: KOTLIN, version: '1.0.0' }))
          ?.figures,
      ).toMatchObject({
        taskCount: 13,
        succeeded: 10,
        failed: 2,
        cancelled: 1,
        successRate: 10 / 12,
        // 10..100 s: rank 5 is 50 s, rank 10 is 100 s.
        p50DurationMs: 50_000,
        p95DurationMs: 100_000,
      });
      expect(
        perVersion.get(figuresKey({ templateRef: KOTLIN, version: '1.1.0' }))
          ?.figures,
      ).toMatchObject({
        taskCount: 5,
        successRate: 3 / 5,
        p50DurationMs: 7_000,
        p95DurationMs: 9_000,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts only tasks since a time when asked, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.addTasks(history);
      const recent = await store.figures({
        byVersion: false,
        since: new Date(start.getTime() + 30 * 60_000),
      });
      expect(recent.get(KOTLIN)?.figures).toMatchObject({
        taskCount: 5,
        succeeded: 3,
        failed: 2,
        p50DurationMs: 7_000,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'ranks the steps that fail most, overall and per version, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.addTasks(history);
      const overall = await store.failingSteps({
        templateRef: KOTLIN,
        byVersion: false,
        limit: 5,
      });
      expect(overall.get(KOTLIN)).toEqual([
        { stepId: 'publish', count: 3 },
        { stepId: 'fetch', count: 1 },
      ]);
      const perVersion = await store.failingSteps({
        templateRef: KOTLIN,
        byVersion: true,
        limit: 1,
      });
      expect(
        perVersion.get(figuresKey({ templateRef: KOTLIN, version: '1.1.0' })),
      ).toEqual([{ stepId: 'fetch', count: 1 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores a task once and tells which ids it knows, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await store.addTasks(history.slice(0, 3));
      await store.addTasks([{ ...history[0], status: 'failed' }, history[3]]);
      expect(await knex('template_health_tasks').count({ n: '*' })).toEqual([
        { n: databaseId === 'POSTGRES_15' ? '4' : 4 },
      ]);
      const first = await knex('template_health_tasks')
        .where({ task_id: history[0].taskId })
        .first();
      expect(first.status).toBe('completed');
      expect(await store.knownTaskIds(['k1-ok-0', 'k1-ok-3', 'nope'])).toEqual(
        new Set(['k1-ok-0', 'k1-ok-3']),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'counts projects and their deployments per version, replacing the previous collection, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.replaceCatalog(
        [{ templateRef: DOCS, title: 'Docs' }],
        [
          {
            entityRef: 'component:default/old',
            templateRef: DOCS,
            version: 'x',
          },
        ],
        start,
      );
      const later = new Date(start.getTime() + 60_000);
      await store.replaceCatalog(
        [
          {
            templateRef: KOTLIN,
            title: 'Kotlin service',
            latestVersion: '1.1.0',
          },
        ],
        [
          {
            entityRef: 'component:default/a',
            templateRef: KOTLIN,
            version: '1.0.0',
            deploymentStatus: 'succeeded',
          },
          {
            entityRef: 'component:default/b',
            templateRef: KOTLIN,
            version: '1.0.0',
            deploymentStatus: 'failed',
          },
          {
            entityRef: 'component:default/c',
            templateRef: KOTLIN,
            version: '1.0.0',
          },
          {
            entityRef: 'component:default/d',
            templateRef: KOTLIN,
            version: '1.1.0',
            deploymentStatus: 'succeeded',
          },
        ],
        later,
      );
      expect(await store.listTemplates()).toEqual([
        {
          templateRef: KOTLIN,
          title: 'Kotlin service',
          latestVersion: '1.1.0',
        },
      ]);
      expect(await store.collectedAt()).toBe(later.toISOString());

      const perTemplate = await store.figures({ byVersion: false });
      expect(perTemplate.get(DOCS)).toBeUndefined();
      expect(perTemplate.get(KOTLIN)?.figures).toMatchObject({
        taskCount: 0,
        projectCount: 4,
        deployedProjects: 3,
        deploySucceeded: 2,
      });
      const perVersion = await store.figures({ byVersion: true });
      expect(
        perVersion.get(figuresKey({ templateRef: KOTLIN, version: '1.0.0' }))
          ?.figures,
      ).toMatchObject({
        projectCount: 3,
        deployedProjects: 2,
        deploySucceeded: 1,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps reports and checks per version; the latest check of each name wins, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const at = (m: number) =>
        new Date(start.getTime() + m * 60_000).toISOString();
      const check = (
        id: string,
        version: string,
        name: string,
        status: 'passed' | 'failed',
        m: number,
      ) => ({
        id,
        templateRef: KOTLIN,
        version,
        name,
        status,
        reportedBy: 'external:ci',
        createdAt: at(m),
      });
      await store.addCheck(check('c1', '1.1.0', 'test-template', 'failed', 1));
      await store.addCheck(check('c2', '1.1.0', 'test-template', 'passed', 2));
      await store.addCheck(check('c3', '1.1.0', 'maven', 'failed', 3));
      await store.addCheck(check('c4', '1.0.0', 'maven', 'passed', 4));
      // Reported in the same millisecond as c2: still the later result.
      const c5 = await store.addCheck(
        check('c5', '1.1.0', 'test-template', 'failed', 2),
      );
      expect(c5.createdAt).toBe(new Date(Date.parse(at(2)) + 1).toISOString());
      const latest = await store.latestChecks(KOTLIN);
      expect(latest.map(c => [c.version, c.name, c.status])).toEqual([
        ['1.0.0', 'maven', 'passed'],
        ['1.1.0', 'maven', 'failed'],
        ['1.1.0', 'test-template', 'failed'],
      ]);
      expect((await store.listChecks(KOTLIN, 10)).map(c => c.id)).toEqual([
        'c4',
        'c3',
        'c5',
        'c2',
        'c1',
      ]);

      await store.addReport({
        id: 'r1',
        templateRef: KOTLIN,
        version: '1.0.0',
        message: 'old',
        reportedBy: 'user:default/a',
        createdAt: at(1),
      });
      await store.addReport({
        id: 'r2',
        templateRef: KOTLIN,
        version: '1.1.0',
        entityRef: 'component:default/a',
        message: 'pom does not build',
        reportedBy: 'user:default/b',
        createdAt: at(10),
      });
      expect(await store.listReports(KOTLIN, 10)).toEqual([
        {
          id: 'r2',
          templateRef: KOTLIN,
          version: '1.1.0',
          entityRef: 'component:default/a',
          message: 'pom does not build',
          reportedBy: 'user:default/b',
          createdAt: at(10),
        },
        {
          id: 'r1',
          templateRef: KOTLIN,
          version: '1.0.0',
          message: 'old',
          reportedBy: 'user:default/a',
          createdAt: at(1),
        },
      ]);
      const counts = await store.countReports(new Date(at(5)));
      expect([...counts]).toEqual([
        [figuresKey({ templateRef: KOTLIN, version: '1.1.0' }), 1],
      ]);
    },
  );
});

describe('template health migration', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const migrationsDir = path.resolve(__dirname, '../../migrations');

  it.each(databases.eachSupportedId())(
    'goes up and down cleanly, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasTable('template_health_tasks')).toBe(true);
      await knex.migrate.rollback({ directory: migrationsDir }, true);
      for (const table of [
        'template_health_tasks',
        'template_health_templates',
        'template_health_projects',
        'template_health_reports',
        'template_health_checks',
        'template_health_collections',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    },
  );
});
