import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { classifyHygieneMessage } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import { catalogModulePavedRoad } from './module';

jest.setTimeout(60_000);

// Built at runtime so lint does not mistake test data for a script URL.
const SCRIPT_URL = ['javascript', 'x'].join(':');
const REFRESH_TASK = 'paved-road-org-snapshot-refresh';
const fixture = readFileSync(
  resolvePath(__dirname, '__fixtures__/org.yaml'),
  'utf8',
);
// Registered in a file of its own: an owner the catalog never gets.
const STRAY = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: stray-job
spec:
  type: service
  lifecycle: production
  owner: ghosts
`;

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

/** Reads an entity (`kind/namespace/name`) from the catalog API, if stored. */
function entityReader(server: Parameters<typeof request>[0]) {
  return async (ref: string) => {
    const res = await request(server).get(
      `/api/catalog/entities/by-name/${ref}`,
    );
    return res.status === 200 ? (res.body as AlphaEntity) : undefined;
  };
}

/** Waits until the processor has attached a business unit to the entity. */
function untilEnriched(
  getEntity: ReturnType<typeof entityReader>,
  ref: string,
) {
  return eventually(async () => {
    const entity = await getEntity(ref);
    return entity?.metadata.annotations?.['paved-road.io/business-unit']
      ? entity
      : undefined;
  }, `${ref} to be enriched`);
}

describe('catalogModulePavedRoad', () => {
  const mockDir = createMockDirectory();

  it('enriches entities through the real catalog and reports org problems', async () => {
    mockDir.setContent({ 'org.yaml': fixture, 'stray.yaml': STRAY });
    // The mock scheduler runs nothing on its own: the test decides when the
    // organisation snapshot refreshes, as the 30 s schedule would.
    const scheduler = mockServices.scheduler();
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
                { type: 'file', target: mockDir.resolve('stray.yaml') },
              ],
              rules: [
                {
                  allow: ['Component', 'Group', 'System', 'API', 'Resource'],
                },
              ],
            },
          },
        }),
      ],
    });

    const getEntity = entityReader(server);
    const refreshOrg = () => scheduler.triggerTask(REFRESH_TASK);

    // Groups land in the catalog first; then the snapshot is refreshed and
    // the next processing cycle resolves every component.
    await eventually(() => getEntity('group/default/warehouse'), 'groups');
    await refreshOrg();

    const orders = await untilEnriched(
      getEntity,
      'component/default/orders-service',
    );
    expect(orders.metadata.annotations).toMatchObject({
      'paved-road.io/cost-center': 'CC-1001',
      'paved-road.io/business-unit': 'group:default/payments',
    });
    expect(orders.relations).toContainEqual({
      type: 'partOfBusinessUnit',
      targetRef: 'group:default/payments',
    });
    expect(orders.status?.items ?? []).toEqual([]);

    // Processed before its team was stored, it is kept unjudged at first.
    const geoUtils = await untilEnriched(
      getEntity,
      'component/default/geo-utils',
    );
    expect(geoUtils.metadata.annotations).toMatchObject({
      'paved-road.io/cost-center': 'CC-2001',
      'paved-road.io/business-unit': 'group:default/logistics',
    });

    const payments = await eventually(async () => {
      const entity = await getEntity('group/default/payments');
      const parts = entity?.relations?.filter(
        r => r.type === 'hasBusinessUnitPart',
      );
      return parts && parts.length === 3 ? parts : undefined;
    }, 'payments to list its parts');
    expect(payments.map(r => r.targetRef).sort()).toEqual([
      'component:default/money-kt',
      'component:default/orders-service',
      'component:default/payment-gateway',
    ]);

    const byQuery = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({
        filter:
          'metadata.annotations.paved-road.io/business-unit=group:default/logistics',
      });
    expect(byQuery.status).toBe(200);
    expect(
      byQuery.body.items.map((e: Entity) => e.metadata.name).sort(),
    ).toEqual(['fleet-tracker', 'geo-utils', 'inventory-service']);

    // Entities that never resolve are rejected with a clear message.
    const invalid = await request(server)
      .post('/api/catalog/validate-entity')
      .send({
        location: 'url:https://example.com/catalog-info.yaml',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'stray',
            annotations: { 'paved-road.io/cost-center': SCRIPT_URL },
          },
          spec: { type: 'service', lifecycle: 'production', owner: 'ghosts' },
        },
      });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: Error) => e.message)).toEqual([
      `metadata.annotations.paved-road.io/cost-center: Cost center "${SCRIPT_URL}" does not match the format ^CC-\\d{4,6}$`,
      'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
    ]);

    // stray-job never processes cleanly, so the catalog never stores it (the
    // hygiene list of paved-road-backend shows it, from its processing errors).
    expect(await getEntity('component/default/stray-job')).toBeUndefined();

    // A team moves to the other business unit: its default-costed entities
    // follow; an authored cost center of the old unit becomes an error.
    mockDir.setContent({
      'org.yaml': fixture.replace(
        'name: checkout\nspec:\n  type: team\n  parent: payments',
        'name: checkout\nspec:\n  type: team\n  parent: logistics',
      ),
      'stray.yaml': STRAY,
    });
    await eventually(async () => {
      const checkout = await getEntity('group/default/checkout');
      return checkout?.spec?.parent === 'logistics' ? true : undefined;
    }, 'checkout to move');
    await refreshOrg();

    const errors = await eventually(async () => {
      const items = (await getEntity('component/default/orders-service'))
        ?.status?.items;
      return items?.length ? items : undefined;
    }, 'orders-service to report its cost center');
    expect(errors).toEqual([
      expect.objectContaining({
        type: 'backstage.io/catalog-processing',
        level: 'error',
        error: expect.objectContaining({
          name: 'InputError',
          message:
            'metadata.annotations.paved-road.io/cost-center: Cost center CC-1001 does not belong to business unit group:default/logistics (valid: CC-2001, CC-2002)',
        }),
      }),
    ]);

    // The unit's side of the relation comes from the unit's own processing
    // (a query for its parts), so it follows within a cycle: legacy-billing
    // now processes cleanly and joins Logistics.
    const logisticsParts = await eventually(async () => {
      const refs = (await getEntity('group/default/logistics'))?.relations
        ?.filter(r => r.type === 'hasBusinessUnitPart')
        .map(r => r.targetRef)
        .sort();
      return refs?.includes('component:default/legacy-billing')
        ? refs
        : undefined;
    }, 'logistics to list legacy-billing');
    expect(logisticsParts).toEqual([
      'component:default/fleet-tracker',
      'component:default/geo-utils',
      'component:default/inventory-service',
      'component:default/legacy-billing',
    ]);
  });

  it('stores a component registered together with its new team before the team, and resolves it once the team is stored', async () => {
    mockDir.setContent({ 'org.yaml': fixture });
    // Holds the new team's processing until the test lets it go, so its
    // component is certain to be processed first.
    let release = () => {};
    const released = new Promise<void>(resolve => {
      release = resolve;
    });
    const gate = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-gate',
      register(reg) {
        reg.registerInit({
          deps: { processing: catalogProcessingExtensionPoint },
          async init({ processing }) {
            processing.addProcessor({
              getProcessorName: () => 'TestGate',
              async preProcessEntity(entity: Entity) {
                if (
                  entity.kind === 'Group' &&
                  entity.metadata.name === 'risk'
                ) {
                  await released;
                }
                return entity;
              },
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        gate,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
              ],
              rules: [{ allow: ['Component', 'Group', 'System', 'API'] }],
            },
          },
        }),
      ],
    });
    const getEntity = entityReader(server);
    try {
      await eventually(() => getEntity('group/default/checkout'), 'groups');

      // A new team and its first service, in one file.
      mockDir.setContent({
        'org.yaml': `${fixture}---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: risk
spec:
  type: team
  parent: payments
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: risk-engine
spec:
  type: service
  lifecycle: experimental
  owner: risk
`,
      });

      // Stored while its team is still on its way: not rejected for an
      // owner that is about to exist, and not judged yet.
      const early = await eventually(
        () => getEntity('component/default/risk-engine'),
        'risk-engine to be stored',
      );
      expect(await getEntity('group/default/risk')).toBeUndefined();
      expect(early.status?.items ?? []).toEqual([]);
      expect(
        early.metadata.annotations?.['paved-road.io/business-unit'],
      ).toBeUndefined();

      release();
      const resolved = await untilEnriched(
        getEntity,
        'component/default/risk-engine',
      );
      expect(resolved.metadata.annotations).toMatchObject({
        'paved-road.io/business-unit': 'group:default/payments',
        'paved-road.io/cost-center': 'CC-1001',
      });
      expect(resolved.status?.items ?? []).toEqual([]);
    } finally {
      release();
    }
  });

  it('in warn mode stores and keeps updating an entity with an unknown owner, with the problem as a warning', async () => {
    mockDir.setContent({ 'org.yaml': fixture, 'stray.yaml': STRAY });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        mockServices.rootConfig.factory({
          data: {
            pavedRoad: { ownership: { enforcement: 'warn' } },
            catalog: {
              processingInterval: { seconds: 1 },
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
                { type: 'file', target: mockDir.resolve('stray.yaml') },
              ],
              rules: [{ allow: ['Component', 'Group', 'System', 'API'] }],
            },
          },
        }),
      ],
    });
    const getEntity = entityReader(server);
    const warned = await eventually(async () => {
      const entity = await getEntity('component/default/stray-job');
      return entity?.metadata.annotations?.['paved-road.io/ownership-problems']
        ? entity
        : undefined;
    }, 'stray-job to be stored with its warning');
    // Stored, with no processing error, the problem kept as a warning
    expect(warned.status?.items ?? []).toEqual([]);
    const problems = JSON.parse(
      warned.metadata.annotations!['paved-road.io/ownership-problems'],
    );
    expect(problems).toEqual([
      'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
    ]);
    expect(problems.map(classifyHygieneMessage)).toEqual(['unknown-owner']);

    // It keeps updating: an edit to its file shows, with the warning kept.
    mockDir.setContent({
      'org.yaml': fixture,
      'stray.yaml': STRAY.replace(
        'name: stray-job\n',
        'name: stray-job\n  description: Nightly export\n',
      ),
    });
    const edited = await eventually(async () => {
      const entity = await getEntity('component/default/stray-job');
      return entity?.metadata.description === 'Nightly export'
        ? entity
        : undefined;
    }, 'stray-job to pick up its new description');
    expect(
      edited.metadata.annotations?.['paved-road.io/ownership-problems'],
    ).toBe(JSON.stringify(problems));

    // Entities that resolve are enriched as in error mode.
    const orders = await untilEnriched(
      getEntity,
      'component/default/orders-service',
    );
    expect(orders.status?.items ?? []).toEqual([]);
    expect(orders.metadata.annotations).not.toHaveProperty(
      'paved-road.io/ownership-problems',
    );
  });

  it('registers the processor and schedules a local org refresh from config', async () => {
    const addProcessor = jest.fn();
    const scheduler = mockServices.scheduler.mock();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, { addProcessor }]],
      features: [
        catalogModulePavedRoad,
        scheduler.factory,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            catalog: { processingInterval: { seconds: 20 } },
            pavedRoad: {
              catalog: {
                orgRefresh: {
                  frequency: { minutes: 2 },
                  timeout: { seconds: 20 },
                },
              },
            },
          },
        }),
      ],
    });
    expect(addProcessor).toHaveBeenCalledWith(
      expect.objectContaining({
        getProcessorName: expect.any(Function),
      }),
    );
    expect(addProcessor.mock.calls[0][0].getProcessorName()).toBe(
      'PavedRoadOwnershipProcessor',
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: REFRESH_TASK,
        scope: 'local',
        frequency: { minutes: 2 },
        timeout: { seconds: 20 },
      }),
    );
    // The organisation refresh is the only task left in this module.
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
  });
});
