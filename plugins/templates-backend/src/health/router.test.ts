import {
  type BackstageCredentials,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { TemplateHealthListResponse } from '@paved-road/plugin-templates-common';
import request from 'supertest';
import { readTemplateHealthConfig } from './config';
import { DatabaseTemplateHealthStore } from './DatabaseTemplateHealthStore';
import { createHealthRouter } from './router';
import { TemplateHealthService } from './TemplateHealthService';
import {
  KOTLIN,
  kotlinProject,
  kotlinTemplate,
} from './__testUtils__/entities';

const NOW = new Date('2026-12-07T12:00:00Z');

const project = kotlinProject('orders');
const other: Entity = {
  ...project,
  metadata: { name: 'handmade', namespace: 'default' },
};

/** The health routes on a test backend, with the store to look into. */
async function startHealthBackend(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    config?: object;
    /** Entities users may not read (the catalog's permission rules). */
    hiddenFromUsers?: Entity[];
  } = {},
) {
  let store: DatabaseTemplateHealthStore | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'templates',
    register(env) {
      env.registerInit({
        deps: {
          auth: coreServices.auth,
          catalog: catalogServiceRef,
          config: coreServices.rootConfig,
          database: coreServices.database,
          httpAuth: coreServices.httpAuth,
          httpRouter: coreServices.httpRouter,
          permissions: coreServices.permissions,
        },
        async init(deps) {
          store = await DatabaseTemplateHealthStore.create({
            database: deps.database,
          });
          const service = new TemplateHealthService(
            store,
            readTemplateHealthConfig(deps.config),
            () => NOW,
          );
          deps.httpRouter.use(
            await createHealthRouter({
              ...deps,
              store,
              service,
              now: () => NOW,
            }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      plugin,
      catalogFor(options.hiddenFromUsers ?? []),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      mockServices.rootConfig.factory({ data: options.config ?? {} }),
    ],
  });
  return { server, store: store! };
}

/** The catalog, with `hidden` readable by services only. */
function catalogFor(hidden: Entity[]) {
  const everything = catalogServiceMock({
    entities: [kotlinTemplate, project, other, ...hidden],
  });
  const forUsers = catalogServiceMock({
    entities: [kotlinTemplate, project, other],
  });
  type Options = { credentials: BackstageCredentials };
  const pick = (options: unknown) =>
    (
      (options as Options).credentials.principal as {
        type?: string;
      }
    ).type === 'user'
      ? forUsers
      : everything;
  return catalogServiceMock.mock({
    getEntities: (query, options) =>
      pick(options).getEntities(query, options as Options),
    getEntityByRef: (ref, options) =>
      pick(options).getEntityByRef(ref, options as Options),
  }).factory;
}

const alice = mockCredentials.user.header('user:default/alice');

describe('template health routes', () => {
  describe('POST /health/reports', () => {
    it('keeps a report with the project’s template version', async () => {
      const { server, store } = await startHealthBackend();
      const response = await request(server)
        .post('/api/templates/health/reports')
        .set('authorization', alice)
        .send({
          templateRef: 'kotlin-spring-service',
          entityRef: 'component:default/orders',
          message: '  mvn verify fails on a fresh project  ',
        });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        templateRef: KOTLIN,
        version: '1.0.0',
        entityRef: 'component:default/orders',
        message: 'mvn verify fails on a fresh project',
        reportedBy: 'user:default/alice',
        createdAt: NOW.toISOString(),
      });
      expect(await store.listReports(KOTLIN, 10)).toEqual([response.body]);
    });

    it('takes the template’s declared version when no project or version is named', async () => {
      const { server } = await startHealthBackend();
      const response = await request(server)
        .post('/api/templates/health/reports')
        .set('authorization', alice)
        .send({ templateRef: KOTLIN, message: 'The form is confusing' });
      expect(response.status).toBe(201);
      expect(response.body.version).toBe('1.1.0');
    });

    it.each([
      [{ message: 'x' }, /^templateRef: /],
      [{ templateRef: KOTLIN, message: '   ' }, /^message: /],
      [{ templateRef: KOTLIN, message: 'x'.repeat(4001) }, /^message: /],
      [{ templateRef: KOTLIN, message: 'x', version: 7 }, /^version: /],
      [
        { templateRef: 'component:default/orders', message: 'x' },
        /^templateRef: must refer to a Template/,
      ],
      [
        {
          templateRef: KOTLIN,
          entityRef: 'component:default/handmade',
          message: 'x',
        },
        /^entityRef: .* was not made from/,
      ],
    ])(
      'answers 400 naming the field for %j and writes nothing',
      async (body, error) => {
        const { server, store } = await startHealthBackend();
        const response = await request(server)
          .post('/api/templates/health/reports')
          .set('authorization', alice)
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(error);
        expect(await store.listReports(KOTLIN, 10)).toEqual([]);
      },
    );

    it('answers 404 for a template the catalog does not have', async () => {
      const { server } = await startHealthBackend();
      const response = await request(server)
        .post('/api/templates/health/reports')
        .set('authorization', alice)
        .send({ templateRef: 'template:default/nope', message: 'x' });
      expect(response.status).toBe(404);
    });

    it('answers 401 without credentials and 403 to a service: reports come from people', async () => {
      const { server, store } = await startHealthBackend();
      const body = { templateRef: KOTLIN, message: 'x' };
      const none = await request(server)
        .post('/api/templates/health/reports')
        .set('authorization', mockCredentials.none.header())
        .send(body);
      expect(none.status).toBe(401);
      const service = await request(server)
        .post('/api/templates/health/reports')
        .set('authorization', mockCredentials.service.header())
        .send(body);
      expect(service.status).toBe(403);
      expect(await store.listReports(KOTLIN, 10)).toEqual([]);
    });
  });

  describe('POST /health/checks', () => {
    const failed = {
      templateRef: KOTLIN,
      version: '1.1.0',
      name: 'test-template',
      status: 'failed',
      url: 'https://ci.example.com/runs/42',
    };

    /** The collector has seen the template at 1.1.0. */
    async function withLatest(store: DatabaseTemplateHealthStore) {
      await store.replaceCatalog(
        [{ templateRef: KOTLIN, latestVersion: '1.1.0' }],
        [],
        NOW,
      );
    }

    it('takes a result from a service and a failed latest check of the latest version makes the template failing', async () => {
      const { server, store } = await startHealthBackend();
      await withLatest(store);
      const posted = await request(server)
        .post('/api/templates/health/checks')
        .set('authorization', mockCredentials.service.header())
        .send(failed);
      expect(posted.status).toBe(201);
      expect(posted.body).toMatchObject({
        ...failed,
        reportedBy: 'external:test-service',
      });

      const list = await request(server)
        .get('/api/templates/health')
        .set('authorization', alice);
      const item = (list.body as TemplateHealthListResponse).items.find(
        i => i.templateRef === KOTLIN,
      );
      expect(item).toMatchObject({
        verdict: 'failing',
        reasons: ['self-test test-template failed on 1.1.0'],
      });
    });

    it('lets a passing run of the same check clear it, while a failure on an old version does not count', async () => {
      const { server, store } = await startHealthBackend();
      await withLatest(store);
      for (const body of [
        failed,
        { ...failed, status: 'passed' },
        { ...failed, version: '1.0.0', name: 'maven' },
      ]) {
        const posted = await request(server)
          .post('/api/templates/health/checks')
          .set('authorization', mockCredentials.service.header())
          .send(body);
        expect(posted.status).toBe(201);
      }
      const details = await request(server)
        .get('/api/templates/health/default/kotlin-spring-service')
        .set('authorization', alice);
      expect(details.status).toBe(200);
      expect(details.body.verdict).toBe('healthy');
      expect(details.body.checks).toHaveLength(3);
    });

    it('lets a user with templates.health.check.create post, and refuses one without (403)', async () => {
      const allowed = await startHealthBackend();
      const ok = await request(allowed.server)
        .post('/api/templates/health/checks')
        .set('authorization', alice)
        .send(failed);
      expect(ok.status).toBe(201);
      expect(ok.body.reportedBy).toBe('user:default/alice');

      const denied = await startHealthBackend({
        permission: AuthorizeResult.DENY,
      });
      const refused = await request(denied.server)
        .post('/api/templates/health/checks')
        .set('authorization', alice)
        .send(failed);
      expect(refused.status).toBe(403);
      expect(await denied.store.listChecks(KOTLIN, 10)).toEqual([]);
    });

    it.each([
      [{ ...failed, status: 'broken' }, /^status: /],
      [{ ...failed, version: '' }, /^version: /],
      [{ ...failed, url: 'ftp://ci.example.com/x' }, /^url: /],
      [{ ...failed, name: undefined }, /^name: /],
    ])(
      'answers 400 naming the field for %j and writes nothing',
      async (body, error) => {
        const { server, store } = await startHealthBackend();
        const response = await request(server)
          .post('/api/templates/health/checks')
          .set('authorization', mockCredentials.service.header())
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(error);
        expect(await store.listChecks(KOTLIN, 10)).toEqual([]);
      },
    );

    it('answers 401 without credentials', async () => {
      const { server } = await startHealthBackend();
      const response = await request(server)
        .post('/api/templates/health/checks')
        .set('authorization', mockCredentials.none.header())
        .send(failed);
      expect(response.status).toBe(401);
    });
  });

  describe('GET /health', () => {
    it('judges templates by the configured thresholds', async () => {
      const { server, store } = await startHealthBackend({
        config: {
          templates: { health: { degradedSuccessRate: 0.95, minTasks: 2 } },
        },
      });
      await store.replaceCatalog(
        [
          {
            templateRef: KOTLIN,
            title: 'Kotlin service',
            latestVersion: '1.1.0',
          },
        ],
        [],
        NOW,
      );
      const at = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
      await store.addTasks([
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => ({
          taskId: `ok-${i}`,
          templateRef: KOTLIN,
          version: '1.1.0',
          status: 'completed' as const,
          createdAt: at(i),
          durationMs: i * 1000,
        })),
        {
          taskId: 'failed',
          templateRef: KOTLIN,
          version: '1.1.0',
          status: 'failed' as const,
          createdAt: at(1),
          failedStep: 'publish',
        },
      ]);
      const response = await request(server)
        .get('/api/templates/health')
        .set('authorization', alice);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        collectedAt: NOW.toISOString(),
        items: [
          expect.objectContaining({
            templateRef: KOTLIN,
            title: 'Kotlin service',
            latestVersion: '1.1.0',
            verdict: 'degraded',
            reasons: ['90% of 10 tasks succeeded in 30 days (below 95%)'],
            figures: expect.objectContaining({
              taskCount: 10,
              p50DurationMs: 5000,
            }),
          }),
        ],
      });

      const details = await request(server)
        .get('/api/templates/health/default/kotlin-spring-service')
        .set('authorization', alice);
      expect(details.body.versions).toEqual([
        expect.objectContaining({
          version: '1.1.0',
          failingSteps: [{ stepId: 'publish', count: 1 }],
        }),
      ]);
    });

    it('shows a user only the templates the catalog lets them read', async () => {
      const secret: Entity = {
        ...kotlinTemplate,
        metadata: { ...kotlinTemplate.metadata, name: 'secret-template' },
      };
      const { server, store } = await startHealthBackend({
        hiddenFromUsers: [secret],
      });
      await store.replaceCatalog(
        [
          { templateRef: KOTLIN, latestVersion: '1.1.0' },
          { templateRef: 'template:default/secret-template', latestVersion: '1.0.0' },
        ],
        [],
        NOW,
      );
      const list = async (authorization: string) =>
        (
          (
            await request(server)
              .get('/api/templates/health')
              .set('authorization', authorization)
          ).body as TemplateHealthListResponse
        ).items.map(i => i.templateRef);
      expect(await list(alice)).toEqual([KOTLIN]);
      expect(await list(mockCredentials.service.header())).toEqual([
        KOTLIN,
        'template:default/secret-template',
      ]);
      const details = await request(server)
        .get('/api/templates/health/default/secret-template')
        .set('authorization', alice);
      expect(details.status).toBe(404);
      const readable = await request(server)
        .get('/api/templates/health/default/kotlin-spring-service')
        .set('authorization', alice);
      expect(readable.status).toBe(200);
    });

    it('answers 404 for a template without any health data and 401 without credentials', async () => {
      const { server } = await startHealthBackend();
      const missing = await request(server)
        .get('/api/templates/health/default/nope')
        .set('authorization', alice);
      expect(missing.status).toBe(404);
      const anonymous = await request(server)
        .get('/api/templates/health')
        .set('authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });
  });
});
