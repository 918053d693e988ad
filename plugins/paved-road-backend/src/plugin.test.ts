import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuditEventPage } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import { pavedRoadPlugin } from './plugin';

jest.setTimeout(60_000);

const ORDERS = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    annotations: {
      'paved-road.io/business-unit': 'group:default/payments',
      'paved-road.io/cost-center': 'CC-1001',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'checkout' },
};

function uuid(n: number) {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function asPlugin(pluginId: string) {
  return mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(`plugin:${pluginId}`),
    targetPluginId: 'paved-road',
  });
}

async function startBackend(
  config: object = {},
  entities: Entity[] = [ORDERS],
) {
  const successes: unknown[] = [];
  const failures: unknown[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async options => ({
      success: async () => {
        successes.push(options);
      },
      fail: async ({ error }: { error: Error }) => {
        failures.push({ ...options, error: error.message });
      },
    })),
  });
  const { server } = await startTestBackend({
    features: [
      pavedRoadPlugin,
      catalogServiceMock.factory({ entities }),
      auditor.factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return { server, auditor, successes, failures };
}

const event = {
  id: uuid(1),
  action: 'settings.changed',
  outcome: 'succeeded',
  actor: 'user:default/guest',
  occurredAt: '2026-12-01T10:00:00.000Z',
  entityRef: 'component:default/orders-service',
  summary: 'replicas 2 → 3',
  details: { before: { replicas: 2 }, after: { replicas: 3 } },
};

describe('POST /api/paved-road/audit/events', () => {
  it('refuses requests without credentials (401)', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', mockCredentials.none.header())
      .send(event);
    expect(res.status).toBe(401);
  });

  it('refuses users (403): only services write events', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', mockCredentials.user.header())
      .send(event);
    expect(res.status).toBe(403);
  });

  it('refuses a service outside pavedRoad.audit.writers (403), naming the action only', async () => {
    const { server } = await startBackend({
      pavedRoad: { audit: { writers: ['plugin:scaffolder'] } },
    });
    const res = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('deployments'))
      .send(event);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('Not allowed to write audit events');
  });

  it('answers 400 naming the field that is wrong', async () => {
    const { server } = await startBackend();
    const post = (body: object) =>
      request(server)
        .post('/api/paved-road/audit/events')
        .set('authorization', asPlugin('deployments'))
        .send(body);

    const badAction = await post({ ...event, action: 'project.exploded' });
    expect(badAction.status).toBe(400);
    expect(badAction.body.error.message).toMatch(/^action: /);

    const badRef = await post({ ...event, entityRef: 'orders-service' });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(
      /^entityRef: must be an entity ref/,
    );

    const badId = await post({ ...event, id: 'not-a-uuid' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/^id: /);
  });

  it('bounds the body in size (413) and depth (400)', async () => {
    const { server } = await startBackend();
    const big = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('deployments'))
      .send({ ...event, details: { blob: 'x'.repeat(100_000) } });
    expect(big.status).toBe(413);

    let deep: object = {};
    for (let i = 0; i < 50; i++) {
      deep = { deeper: deep };
    }
    const nested = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('deployments'))
      .send({ ...event, details: deep });
    expect(nested.status).toBe(400);
    expect(nested.body.error.message).toMatch(/^body: nested deeper than/);
    expect(JSON.stringify(nested.body)).not.toMatch(
      /\/node_modules\/|at \w+ \(/,
    );
  });

  it('stores once (201, then 200), refuses a different event under the same id (409) and mirrors to the auditor once', async () => {
    const { server, successes } = await startBackend();
    const post = (body: object) =>
      request(server)
        .post('/api/paved-road/audit/events')
        .set('authorization', asPlugin('deployments'))
        .send(body);

    const first = await post(event);
    expect(first.status).toBe(201);
    // Attribution the writer left out comes from the catalog
    expect(first.body).toEqual({
      ...event,
      owner: 'group:default/checkout',
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
    });

    const again = await post(event);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const conflict = await post({ ...event, summary: 'replicas 2 → 4' });
    expect(conflict.status).toBe(409);

    expect(successes).toEqual([
      expect.objectContaining({
        eventId: 'settings.changed',
        severityLevel: 'medium',
        meta: expect.objectContaining({
          auditEventId: uuid(1),
          writer: 'plugin:deployments',
          actor: 'user:default/guest',
          costCenter: 'CC-1001',
        }),
      }),
    ]);
  });

  it('keeps the attribution the writer sent, and mirrors a denied attempt as a failure', async () => {
    const { server, failures } = await startBackend();
    const res = await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('deployments'))
      .send({
        ...event,
        id: uuid(2),
        outcome: 'denied',
        owner: 'group:default/payments-core',
        businessUnit: null,
        costCenter: 'CC-1002',
      });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      owner: 'group:default/payments-core',
      businessUnit: null,
      costCenter: 'CC-1002',
    });
    expect(failures).toEqual([
      expect.objectContaining({
        eventId: 'settings.changed',
        error: 'replicas 2 → 3',
      }),
    ]);
  });
});

describe('GET /api/paved-road/audit', () => {
  async function seeded() {
    const backend = await startBackend();
    for (let n = 1; n <= 5; n++) {
      const res = await request(backend.server)
        .post('/api/paved-road/audit/events')
        .set('authorization', asPlugin('scaffolder'))
        .send({
          ...event,
          id: uuid(n),
          actor: n % 2 ? 'user:default/guest' : 'user:default/admin',
          occurredAt: `2026-12-0${n}T10:00:00.000Z`,
          summary: `change ${n}`,
        });
      expect(res.status).toBe(201);
    }
    return backend;
  }

  it('refuses requests without credentials (401)', async () => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/paved-road/audit')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('pages newest first with an opaque cursor', async () => {
    const { server } = await seeded();
    const summaries: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await request(server)
        .get('/api/paved-road/audit')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      const page = res.body as AuditEventPage;
      summaries.push(...page.items.map(e => e.summary));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(summaries).toEqual([
      'change 5',
      'change 4',
      'change 3',
      'change 2',
      'change 1',
    ]);
  });

  it('filters, accepting refs as people write them', async () => {
    const { server } = await seeded();
    const res = await request(server)
      .get('/api/paved-road/audit')
      .query({
        actor: 'admin',
        entityRef: 'Component:default/Orders-Service',
        from: '2026-12-02',
        to: '2026-12-04',
      })
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: { summary: string }) => e.summary)).toEqual([
      'change 4',
      'change 2',
    ]);
  });

  it.each([
    [{ action: 'nope' }, /^action: /],
    [{ from: 'yesterday' }, /^from: must be an ISO 8601 date/],
    [{ limit: '0' }, /^limit: /],
    [{ cursor: 'garbage' }, /^cursor: /],
    [{ businessUnit: 'group:' }, /^businessUnit: /],
    [{ from: '2026-12-03', to: '2026-12-01' }, /^to: must be after from/],
  ])('answers 400 naming a bad filter %j', async (query, message) => {
    const { server } = await startBackend();
    const res = await request(server)
      .get('/api/paved-road/audit')
      .query(query)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('exports the filtered events as CSV, formulas neutralised', async () => {
    const { server } = await seeded();
    await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('scaffolder'))
      .send({
        ...event,
        id: uuid(9),
        occurredAt: '2026-12-09T10:00:00.000Z',
        summary: '=HYPERLINK("https://evil.example")',
      })
      .expect(201);

    const res = await request(server)
      .get('/api/paved-road/audit/export.csv')
      .query({ actor: 'user:default/guest' })
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'occurredAt,action,outcome,actor,entityRef,owner,businessUnit,costCenter,summary,details,id',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(`'=HYPERLINK`);
    expect(lines[2]).toContain('change 5');
    expect(lines[2]).toContain('"{""before"":{""replicas"":2}');
  });

  it('caps the export at pavedRoad.audit.exportRowLimit rows', async () => {
    const backend = await startBackend({
      pavedRoad: { audit: { exportRowLimit: 2 } },
    });
    for (let n = 1; n <= 3; n++) {
      await request(backend.server)
        .post('/api/paved-road/audit/events')
        .set('authorization', asPlugin('scaffolder'))
        .send({ ...event, id: uuid(n) })
        .expect(201);
    }
    const res = await request(backend.server)
      .get('/api/paved-road/audit/export.csv')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.text.trim().split('\n')).toHaveLength(3);
  });
});

describe('GET /api/paved-road/projects/:namespace/:kind/:name', () => {
  it('derives the project record from its project.created event, 404 otherwise', async () => {
    const { server } = await startBackend();
    await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('scaffolder'))
      .send({
        id: uuid(7),
        action: 'project.created',
        outcome: 'succeeded',
        actor: 'user:default/guest',
        occurredAt: '2026-12-01T09:00:00.000Z',
        entityRef: 'component:default/money-kt',
        summary: 'Created money-kt from kotlin-library',
        details: {
          taskId: 'task-1',
          templateRef: 'template:default/kotlin-library',
          templateVersion: '1.2.0',
          repoUrl: 'https://git.example.com/money-kt.git',
          parameters: { name: 'money-kt' },
        },
      })
      .expect(201);

    const res = await request(server)
      .get('/api/paved-road/projects/default/component/money-kt')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      entityRef: 'component:default/money-kt',
      createdBy: 'user:default/guest',
      createdAt: '2026-12-01T09:00:00.000Z',
      templateRef: 'template:default/kotlin-library',
      templateVersion: '1.2.0',
      repoUrl: 'https://git.example.com/money-kt.git',
      taskId: 'task-1',
    });

    const missing = await request(server)
      .get('/api/paved-road/projects/default/component/orders-service')
      .set('authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('NotFoundError');
  });

  it("gives the template version on the entity, the project's current one, over the one it was created from", async () => {
    const { server } = await startBackend({}, [
      {
        ...ORDERS,
        metadata: {
          ...ORDERS.metadata,
          annotations: {
            ...ORDERS.metadata.annotations,
            'paved-road.io/template-version': '1.3.0',
          },
        },
      },
    ]);
    await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asPlugin('scaffolder'))
      .send({
        id: uuid(8),
        action: 'project.created',
        outcome: 'succeeded',
        actor: 'user:default/guest',
        entityRef: 'component:default/orders-service',
        summary: 'Created orders-service from kotlin-spring-service',
        details: {
          taskId: 'task-2',
          templateRef: 'template:default/kotlin-spring-service',
          templateVersion: '1.0.0',
          repoUrl: 'https://git.example.com/orders-service.git',
        },
      })
      .expect(201);

    const res = await request(server)
      .get('/api/paved-road/projects/default/component/orders-service')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      templateRef: 'template:default/kotlin-spring-service',
      templateVersion: '1.3.0',
    });
  });
});
