import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { HygieneReport } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import { catalogModulePavedRoad } from '../module';

jest.setTimeout(30_000);

const location = { type: 'url', target: 'https://x/catalog-info.yaml' };
const entities: Entity[] = [
  ...parseEntityYaml(
    readFileSync(resolvePath(__dirname, '../__fixtures__/org.yaml')),
    location,
  ),
].flatMap(r => (r.type === 'entity' ? [r.entity] : []));
const byName = (name: string) =>
  structuredClone(entities.find(e => e.metadata.name === name)!);

const scaffolder = () =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:scaffolder'),
    targetPluginId: 'catalog',
  });

const AUDIT = {
  taskId: 'a1b2c3',
  createdBy: 'user:default/guest',
  templateRef: 'template:default/kotlin-library',
  entityRef: 'Component:default/money-kt',
  owner: 'group:default/payments-core',
  businessUnit: 'group:default/payments',
  costCenter: 'CC-1002',
  repoUrl: 'http://localhost:7007/api/local-git/repos/money-kt.git',
};

/**
 * The module on its own: the processor it registers is driven by hand, the
 * routes are served on the catalog's plugin path.
 */
async function start(config: object = {}) {
  let processor: CatalogProcessor | undefined;
  // Runs nothing on its own: the tests flush the hygiene themselves.
  const scheduler = mockServices.scheduler();
  const { server } = await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        { addProcessor: (p: CatalogProcessor) => (processor = p) },
      ],
    ],
    features: [
      catalogModulePavedRoad,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({ data: config }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
    ],
  });
  const judge = async (entity: Entity) => {
    await processor!.preProcessEntity!(entity, location, () => {}, location, {
      get: async () => undefined,
      set: async () => {},
    });
  };
  // What the 1 s flush schedule does between processing and the list.
  const flush = () => scheduler.triggerTask('paved-road-hygiene-flush');
  return { server, judge, flush };
}

async function hygieneOf(server: Parameters<typeof request>[0]) {
  const res = await request(server)
    .get('/api/catalog/paved-road/hygiene')
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body as HygieneReport;
}

describe('GET /paved-road/hygiene', () => {
  it('lists what the processor found, grouped by business unit', async () => {
    const { server, judge, flush } = await start();
    await judge(byName('legacy-billing'));
    await judge(byName('orders-service'));
    const orphan = byName('geo-utils');
    orphan.metadata.name = 'orphan';
    delete orphan.spec!.owner;
    await judge(orphan);
    // Nothing is written before the flush: processing never waits on it.
    expect((await hygieneOf(server)).groups).toEqual([]);

    await flush();
    const report = await hygieneOf(server);
    expect(report).toEqual({
      groups: [
        {
          businessUnit: 'group:default/payments',
          items: [
            {
              entityRef: 'component:default/legacy-billing',
              title: 'Legacy Billing',
              owner: 'group:default/checkout',
              costCenter: 'CC-2001',
              problems: [
                {
                  code: 'cost-center-not-in-business-unit',
                  message:
                    'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
                },
              ],
              updatedAt: expect.any(String),
              // No catalog tables in this backend: nothing says otherwise.
              inCatalog: true,
              source: null,
            },
          ],
        },
        {
          businessUnit: null,
          items: [
            expect.objectContaining({
              entityRef: 'component:default/orphan',
              title: 'orphan',
              owner: null,
              problems: [expect.objectContaining({ code: 'missing-owner' })],
            }),
          ],
        },
      ],
    });

    // Fixed at the next processing: it leaves the list.
    const fixed = byName('legacy-billing');
    fixed.metadata.annotations!['paved-road.io/cost-center'] = 'CC-1002';
    await judge(fixed);
    await flush();
    const { groups } = await hygieneOf(server);
    expect(groups.map(g => g.businessUnit)).toEqual([null]);
  });

  it('requires a signed-in user (401 anonymous, 403 for services)', async () => {
    const { server } = await start();
    const anonymous = await request(server)
      .get('/api/catalog/paved-road/hygiene')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await request(server)
      .get('/api/catalog/paved-road/hygiene')
      .set('authorization', scaffolder());
    expect(service.status).toBe(403);
  });
});

describe('/paved-road/audit/projects', () => {
  it('records a project once for the scaffolder and finds it by entity and creator', async () => {
    const { server } = await start();
    const created = await request(server)
      .post('/api/catalog/paved-road/audit/projects')
      .set('authorization', scaffolder())
      .send(AUDIT);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      ...AUDIT,
      entityRef: 'component:default/money-kt',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const retried = await request(server)
      .post('/api/catalog/paved-road/audit/projects')
      .set('authorization', scaffolder())
      .send(AUDIT);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(created.body);

    const conflicting = await request(server)
      .post('/api/catalog/paved-road/audit/projects')
      .set('authorization', scaffolder())
      .send({ ...AUDIT, costCenter: 'CC-1001' });
    expect(conflicting.status).toBe(409);

    for (const query of [
      { entityRef: 'component:default/money-kt' },
      { createdBy: 'user:default/guest' },
      {},
    ]) {
      const res = await request(server)
        .get('/api/catalog/paved-road/audit/projects')
        .query(query)
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [created.body] });
    }
    const other = await request(server)
      .get('/api/catalog/paved-road/audit/projects')
      .query({ createdBy: 'user:default/carol' })
      .set('authorization', mockCredentials.user.header());
    expect(other.body).toEqual({ items: [] });
  });

  it('takes writes from the scaffolder service only', async () => {
    const { server } = await start();
    const post = (authorization: string) =>
      request(server)
        .post('/api/catalog/paved-road/audit/projects')
        .set('authorization', authorization)
        .send(AUDIT);
    expect((await post(mockCredentials.none.header())).status).toBe(401);
    // Users may not write audit records on their own behalf, even signed in.
    expect((await post(mockCredentials.user.header())).status).toBe(403);
    const otherPlugin = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:costs'),
      targetPluginId: 'catalog',
    });
    expect((await post(otherPlugin)).status).toBe(403);
  });

  it('honours configured audit writers', async () => {
    const { server } = await start({
      pavedRoad: { catalog: { auditWriters: ['plugin:provisioner'] } },
    });
    const res = await request(server)
      .post('/api/catalog/paved-road/audit/projects')
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:provisioner'),
          targetPluginId: 'catalog',
        }),
      )
      .send(AUDIT);
    expect(res.status).toBe(201);
    expect(
      (
        await request(server)
          .post('/api/catalog/paved-road/audit/projects')
          .set('authorization', scaffolder())
          .send({ ...AUDIT, taskId: 'other' })
      ).status,
    ).toBe(403);
  });

  it.each([
    [
      { ...AUDIT, createdBy: 'guest' },
      'createdBy: must be a full User entity ref',
    ],
    [
      { ...AUDIT, owner: 'user:default/guest' },
      'owner: must be a full Group entity ref',
    ],
    [
      { ...AUDIT, costCenter: 'CC-1' },
      'costCenter: does not match the cost center format ^CC-\\d{4,6}$',
    ],
    [
      { ...AUDIT, repoUrl: ['javascript', 'alert(1)'].join(':') },
      'repoUrl: must be an http(s), ssh, git or file URL',
    ],
    [{ ...AUDIT, taskId: undefined }, 'taskId: '],
  ])('rejects bad input naming the field (%#)', async (body, message) => {
    const { server } = await start();
    const res = await request(server)
      .post('/api/catalog/paved-road/audit/projects')
      .set('authorization', scaffolder())
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('rejects bad queries naming the parameter and anonymous readers', async () => {
    const { server } = await start();
    const get = (query: object, auth = mockCredentials.user.header()) =>
      request(server)
        .get('/api/catalog/paved-road/audit/projects')
        .query(query)
        .set('authorization', auth);
    const badRef = await get({ createdBy: 'group:default/checkout' });
    expect(badRef.status).toBe(400);
    expect(badRef.body.error.message).toMatch(/^createdBy: /);
    const badLimit = await get({ limit: '0' });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toMatch(/^limit: /);
    expect((await get({}, mockCredentials.none.header())).status).toBe(401);
  });
});
