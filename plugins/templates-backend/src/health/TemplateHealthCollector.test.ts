import {
  mockServices,
  registerMswTestHooks,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  DatabaseTemplateHealthStore,
  figuresKey,
} from './DatabaseTemplateHealthStore';
import { TemplateHealthCollector } from './TemplateHealthCollector';
import {
  KOTLIN,
  kotlinProject,
  kotlinTemplate,
} from './__testUtils__/entities';

jest.setTimeout(60_000);

const SCAFFOLDER = 'http://localhost:0/api/scaffolder';
const DEPLOYMENTS = 'http://localhost:0/api/deployments';
const NOW = new Date('2026-12-07T12:00:00.000Z');

/** A task as the scaffolder's `serializeTask` returns it from `GET /v2/tasks`. */
function scaffolderTask(
  id: string,
  status: string,
  createdAt: string,
  templateInfo?: object,
) {
  return {
    id,
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      steps: [],
      output: {},
      parameters: {},
      ...(templateInfo ? { templateInfo } : {}),
    },
    status,
    createdAt,
    lastHeartbeatAt: createdAt,
    createdBy: 'user:default/alice',
  };
}

const kotlinInfo = (version?: string) => ({
  entityRef: 'template:default/kotlin-spring-service',
  baseUrl: 'file:///templates/kotlin/template.yaml',
  entity: {
    metadata: {
      name: 'kotlin-spring-service',
      ...(version
        ? { annotations: { 'backstage.io/template-version': version } }
        : {}),
    },
  },
});

/** Events as `GET /v2/tasks/:id/events` returns them (`listEvents`). */
function events(
  taskId: string,
  createdAt: string,
  seconds: number,
  failedStep?: string,
) {
  const at = (s: number) =>
    new Date(Date.parse(createdAt) + s * 1000).toISOString();
  const log = (id: number, stepId: string, status: string, s: number) => ({
    id,
    isTaskRecoverable: false,
    taskId,
    type: 'log',
    createdAt: at(s),
    body: { message: `Step ${stepId} ${status}`, stepId, status },
  });
  return [
    log(1, 'fetch', 'processing', 0),
    log(2, 'fetch', failedStep === 'fetch' ? 'failed' : 'completed', 1),
    ...(failedStep && failedStep !== 'fetch'
      ? [log(3, failedStep, 'processing', 1), log(4, failedStep, 'failed', 2)]
      : []),
    {
      id: 9,
      isTaskRecoverable: false,
      taskId,
      type: 'completion',
      createdAt: at(seconds),
      body: failedStep
        ? { message: 'Run failed', error: { name: 'Error', message: 'boom' } }
        : { message: 'Run completed', output: {} },
    },
  ];
}

const history = [
  scaffolderTask(
    't4',
    'failed',
    '2026-12-07T11:00:00.000Z',
    kotlinInfo('1.1.0'),
  ),
  scaffolderTask(
    't3',
    'completed',
    '2026-12-07T10:00:00.000Z',
    kotlinInfo('1.1.0'),
  ),
  scaffolderTask('t2', 'completed', '2026-12-06T10:00:00.000Z', kotlinInfo()),
  // A task posted with an inline template (no templateInfo.entityRef).
  scaffolderTask('t1', 'completed', '2026-12-05T10:00:00.000Z'),
];
const taskEvents: Record<string, unknown[]> = {
  t4: events('t4', history[0].createdAt, 30, 'publish'),
  t3: events('t3', history[1].createdAt, 42),
  t2: events('t2', history[2].createdAt, 60),
  t1: events('t1', history[3].createdAt, 5),
};

const entities: Entity[] = [
  kotlinTemplate,
  ...['orders', 'billing', 'docs'].map(name => kotlinProject(name)),
];

describe('TemplateHealthCollector', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  const listRequests: URLSearchParams[] = [];
  const eventRequests: string[] = [];

  beforeEach(() => {
    listRequests.length = 0;
    eventRequests.length = 0;
    server.use(
      // The scaffolder's list: filtered by status, ordered, paged.
      http.get(`${SCAFFOLDER}/v2/tasks`, ({ request }) => {
        if (!request.headers.get('authorization')?.startsWith('Bearer ')) {
          return HttpResponse.json(
            { error: { name: 'AuthenticationError' } },
            { status: 401 },
          );
        }
        const params = new URL(request.url).searchParams;
        listRequests.push(params);
        const statuses = params.getAll('status');
        const offset = Number(params.get('offset') ?? 0);
        const limit = Number(params.get('limit') ?? 1000);
        const matching = history.filter(t => statuses.includes(t.status));
        return HttpResponse.json({
          tasks: matching.slice(offset, offset + limit),
          totalTasks: matching.length,
        });
      }),
      http.get(`${SCAFFOLDER}/v2/tasks/:taskId/events`, ({ params }) => {
        const taskId = String(params.taskId);
        eventRequests.push(taskId);
        const found = taskEvents[taskId];
        return found
          ? HttpResponse.json(found)
          : HttpResponse.json(
              {
                error: {
                  name: 'NotFoundError',
                  message: `Task with id ${taskId} does not exist`,
                },
              },
              { status: 404 },
            );
      }),
      // The deployments plugin: newest first; docs was never deployable.
      http.get(
        `${DEPLOYMENTS}/entities/default/Component/:name/deployments`,
        ({ params }) => {
          if (params.name === 'docs') {
            return HttpResponse.json(
              { error: { name: 'NotFoundError', message: 'not deployable' } },
              { status: 404 },
            );
          }
          const items =
            params.name === 'orders'
              ? [
                  { id: 'd2', status: 'in-progress' },
                  { id: 'd1', status: 'succeeded' },
                ]
              : [{ id: 'd3', status: 'rolled-back' }];
          return HttpResponse.json({ items });
        },
      ),
    );
  });

  async function createCollector() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseTemplateHealthStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const collector = new TemplateHealthCollector({
      store,
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });
    return { store, collector };
  }

  it('copies finished tasks with version, duration and failed step, asking for finished ones newest first', async () => {
    const { store, collector } = await createCollector();
    expect(await collector.collectTasks()).toBe(3);

    expect(listRequests[0].getAll('status')).toEqual([
      'completed',
      'failed',
      'cancelled',
    ]);
    expect(listRequests[0].get('order')).toBe('desc:created_at');
    expect(listRequests[0].get('limit')).toBe('100');

    const perVersion = await store.figures({ byVersion: true });
    expect(
      perVersion.get(figuresKey({ templateRef: KOTLIN, version: '1.1.0' }))
        ?.figures,
    ).toMatchObject({
      taskCount: 2,
      succeeded: 1,
      failed: 1,
      p50DurationMs: 42_000,
    });
    expect(
      perVersion.get(
        figuresKey({ templateRef: KOTLIN, version: 'unversioned' }),
      )?.figures,
    ).toMatchObject({
      taskCount: 1,
      p50DurationMs: 60_000,
    });
    const steps = await store.failingSteps({
      templateRef: KOTLIN,
      byVersion: false,
      limit: 5,
    });
    expect(steps.get(KOTLIN)).toEqual([{ stepId: 'publish', count: 1 }]);
  });

  it('reads the events of new tasks only on the next run', async () => {
    const { collector } = await createCollector();
    await collector.collectTasks();
    expect(eventRequests.sort()).toEqual(['t2', 't3', 't4']);
    eventRequests.length = 0;
    expect(await collector.collectTasks()).toBe(0);
    expect(eventRequests).toEqual([]);
  });

  it('records templates and projects with their latest finished deployment', async () => {
    const { store, collector } = await createCollector();
    expect(await collector.collectCatalog()).toBe(3);
    expect(await store.listTemplates()).toEqual([
      { templateRef: KOTLIN, title: 'Kotlin service', latestVersion: '1.1.0' },
    ]);
    expect(await store.collectedAt()).toBe(NOW.toISOString());
    const figures = await store.figures({ byVersion: true });
    // orders: latest finished succeeded; billing: rolled back; docs: none.
    expect(
      figures.get(figuresKey({ templateRef: KOTLIN, version: '1.0.0' }))
        ?.figures,
    ).toMatchObject({
      projectCount: 3,
      deployedProjects: 2,
      deploySucceeded: 1,
    });
  });
});
