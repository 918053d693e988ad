import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { pavedRoadPlugin } from '../plugin';

jest.setTimeout(60_000);

const TEMPLATE = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'kotlin-library',
    title: 'Kotlin library',
    description: 'A Kotlin library built with Maven',
    tags: ['kotlin'],
  },
  spec: {
    type: 'library',
    parameters: [
      {
        title: 'Library',
        required: ['name', 'owner'],
        properties: {
          name: { title: 'Name', type: 'string' },
          owner: { title: 'Owning team', type: 'string' },
          javaVersion: { type: 'string', enum: ['17', '21'], default: '17' },
        },
      },
    ],
    steps: [],
  },
};

const ORDERS = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    annotations: {
      'paved-road.io/business-unit': 'group:default/payments',
      'paved-road.io/cost-center': 'CC-1001',
      'backstage.io/source-location':
        'url:http://localhost:7007/api/local-git/orders-service/',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout',
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout' }],
};

const CREATED = {
  id: '00000000-0000-4000-8000-000000000001',
  action: 'project.created',
  outcome: 'succeeded',
  actor: 'user:default/guest',
  occurredAt: '2026-12-01T10:00:00.000Z',
  entityRef: 'component:default/orders-service',
  summary: 'Created orders-service from kotlin-spring-service',
  details: {
    templateRef: 'template:default/kotlin-spring-service',
    templateVersion: '3',
    repoUrl: 'http://localhost:7007/api/local-git/orders-service.git',
    taskId: 'task-1',
  },
};

describe('paved-road actions', () => {
  async function startBackend(orders: Entity = ORDERS) {
    const { server } = await startTestBackend({
      features: [
        pavedRoadPlugin,
        catalogServiceMock.factory({ entities: [TEMPLATE, orders] }),
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
      ],
    });
    return server;
  }

  /** The scaffolder's project.created event for orders-service. */
  const recordCreation = (server: any) =>
    request(server)
      .post('/api/paved-road/audit/events')
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:scaffolder'),
          targetPluginId: 'paved-road',
        }),
      )
      .send(CREATED)
      .expect(201);

  const invoke = (server: any, name: string, input: object) =>
    request(server)
      .post(
        `/api/paved-road/.backstage/actions/v2/actions/paved-road:${name}/invoke`,
      )
      .set('Authorization', mockCredentials.user.header())
      .send({ input });

  it('lists its actions with their schemas and honest attributes', async () => {
    const server = await startBackend();
    const res = await request(server)
      .get('/api/paved-road/.backstage/actions/v1/actions')
      .set('Authorization', mockCredentials.user.header());

    const attributes = Object.fromEntries(
      res.body.actions.map((a: any) => [a.name, a.attributes]),
    );
    expect(attributes).toEqual({
      'list-templates': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
      'create-project': {
        readOnly: false,
        destructive: false,
        idempotent: false,
      },
      'get-project-creation-status': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
      'get-project': { readOnly: true, destructive: false, idempotent: true },
      'list-audit-events': {
        readOnly: true,
        destructive: false,
        idempotent: true,
      },
    });
    const create = res.body.actions.find(
      (a: any) => a.name === 'create-project',
    );
    expect(create.schema.input.required).toEqual(['template', 'values']);
    expect(create.description).toMatch(/get-project-creation-status/);
  });

  it('list-templates reads each template and its parameters from the catalog', async () => {
    const server = await startBackend();

    const res = await invoke(server, 'list-templates', {});

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      templates: [
        {
          name: 'kotlin-library',
          entityRef: 'template:default/kotlin-library',
          title: 'Kotlin library',
          description: 'A Kotlin library built with Maven',
          type: 'library',
          tags: ['kotlin'],
          parameters: [
            expect.objectContaining({ name: 'name', required: true }),
            expect.objectContaining({ name: 'owner', required: true }),
            expect.objectContaining({
              name: 'javaVersion',
              required: false,
              default: '17',
              enum: ['17', '21'],
            }),
          ],
        },
      ],
    });
  });

  it('create-project refuses an unknown template (NotFoundError) and a parameter the template does not have (InputError naming it)', async () => {
    const server = await startBackend();

    const unknownTemplate = await invoke(server, 'create-project', {
      template: 'cobol-service',
      values: { name: 'x' },
    });
    expect(unknownTemplate.status).toBe(404);
    expect(unknownTemplate.body.error.message).toBe(
      'No template template:default/cobol-service; list-templates lists the templates',
    );

    const typo = await invoke(server, 'create-project', {
      template: 'kotlin-library',
      values: { name: 'x', owners: 'group:default/checkout' },
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error).toMatchObject({
      name: 'InputError',
      message:
        'values: template:default/kotlin-library has no parameter owners; list-templates lists its parameters',
    });

    const badRef = await invoke(server, 'create-project', {
      template: 'template:',
      values: {},
    });
    expect(badRef.body.error.message).toMatch(
      /^template: must be an entity ref/,
    );
  });

  it('get-project combines the catalog entity with its creation record; what other plugins do not have is null', async () => {
    const server = await startBackend();
    await recordCreation(server);

    const res = await invoke(server, 'get-project', {
      entityRef: 'orders-service',
    });

    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: 'component:default/orders-service',
      title: 'orders-service',
      description: null,
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout',
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
      template: { ref: 'template:default/kotlin-spring-service', version: '3' },
      repository: 'http://localhost:7007/api/local-git/orders-service.git',
      createdBy: 'user:default/guest',
      createdAt: '2026-12-01T10:00:00.000Z',
      createdByTask: 'task-1',
      deactivated: false,
      settings: null,
      lastDeployment: null,
      cost: null,
      problems: [],
    });
  });

  it("get-project gives the template version on the entity (the project's current one), else the one it was created from", async () => {
    const upgraded: Entity = {
      ...ORDERS,
      metadata: {
        ...ORDERS.metadata,
        annotations: {
          ...ORDERS.metadata.annotations,
          'backstage.io/source-template':
            'template:default/kotlin-spring-service',
          'paved-road.io/template-version': '4',
        },
      },
    };
    // No creation record: both from the annotations.
    const server = await startBackend(upgraded);
    const before = await invoke(server, 'get-project', {
      entityRef: 'orders-service',
    });
    expect(before.body.output.template).toEqual({
      ref: 'template:default/kotlin-spring-service',
      version: '4',
    });

    await recordCreation(server);
    const after = await invoke(server, 'get-project', {
      entityRef: 'orders-service',
    });
    expect(after.body.output).toMatchObject({
      template: { ref: 'template:default/kotlin-spring-service', version: '4' },
      createdByTask: 'task-1',
    });
  });

  it('get-project answers NotFoundError for an entity the catalog does not have, InputError for a malformed ref', async () => {
    const server = await startBackend();

    const missing = await invoke(server, 'get-project', { entityRef: 'nope' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'component:default/nope is not in the catalog',
    );

    const malformed = await invoke(server, 'get-project', {
      entityRef: 'component:',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/^entityRef: /);
  });

  it('list-audit-events filters the trail as GET /audit does, errors naming the field', async () => {
    const server = await startBackend();
    const asScaffolder = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:scaffolder'),
      targetPluginId: 'paved-road',
    });
    await request(server)
      .post('/api/paved-road/audit/events')
      .set('authorization', asScaffolder)
      .send(CREATED)
      .expect(201);

    const res = await invoke(server, 'list-audit-events', {
      entityRef: 'orders-service',
      action: 'project.created',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      items: [
        expect.objectContaining({
          id: CREATED.id,
          actor: 'user:default/guest',
          summary: CREATED.summary,
        }),
      ],
      nextCursor: null,
    });

    const badLimit = await invoke(server, 'list-audit-events', { limit: 0 });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toMatch(/^limit: /);

    const badDate = await invoke(server, 'list-audit-events', {
      from: 'yesterday',
    });
    expect(badDate.body.error.message).toMatch(/^from: /);
  });
});
