import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import catalogModulePavedRoad from '@paved-road/plugin-catalog-backend-module-paved-road';
import type { SettingsErrorListResponse } from '@paved-road/plugin-deployments-common';
import { HygieneReport } from '@paved-road/plugin-paved-road-common';
import Router from 'express-promise-router';
import request from 'supertest';
import { pavedRoadPlugin } from '../plugin';

jest.setTimeout(90_000);

const ORG = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
  annotations:
    paved-road.io/cost-centers: CC-1001,CC-1002
spec:
  type: business-unit
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: checkout
spec:
  type: team
  parent: payments
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-service
  annotations:
    paved-road.io/cost-center: CC-1001
spec:
  type: service
  lifecycle: production
  owner: checkout
`;
// A cost center of no unit of the owner: an error with a business unit
const WRONG_COST_CENTER = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: legacy-billing
  title: Legacy Billing
  annotations:
    paved-road.io/cost-center: CC-2001
spec:
  type: service
  lifecycle: production
  owner: checkout
`;
// An owner the catalog never gets: never stored
const UNKNOWN_OWNER = `apiVersion: backstage.io/v1alpha1
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
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

const INVALID_SETTINGS: SettingsErrorListResponse = {
  items: [
    {
      entityRef: 'component:default/orders-service',
      message:
        'deploy/paved-road.yaml at 1a2b3c4d5e6f: spec.replicas: Too small: expected number to be >=1',
      commitSha: `1a2b3c4d5e6f${'0'.repeat(28)}`,
      detectedAt: '2026-11-30T08:00:00.000Z',
    },
  ],
};

/**
 * Stands in for the deployments plugin's GET /settings-errors (same shape,
 * same auth: it lets only service principals through and notes who asked).
 */
function deploymentsStandIn(callers: string[]) {
  return createBackendPlugin({
    pluginId: 'deployments',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/settings-errors', async (req, res) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['service'],
            });
            callers.push(credentials.principal.subject);
            res.json(INVALID_SETTINGS);
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

describe('GET /api/paved-road/hygiene against a real catalog', () => {
  const mockDir = createMockDirectory();

  it('lists the ownership problems from the catalog processing errors, by business unit', async () => {
    mockDir.setContent({
      'org.yaml': ORG,
      'legacy.yaml': WRONG_COST_CENTER,
      'stray.yaml': UNKNOWN_OWNER,
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        unprocessedModule,
        pavedRoadPlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              locations: ['org.yaml', 'legacy.yaml', 'stray.yaml'].map(
                file => ({ type: 'file', target: mockDir.resolve(file) }),
              ),
              rules: [{ allow: ['Component', 'Group'] }],
            },
            // Every request reads the catalog again
            pavedRoad: { hygiene: { cacheSeconds: 0 } },
          },
        }),
      ],
    });
    const getHygiene = async () => {
      const res = await request(server)
        .get('/api/paved-road/hygiene')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body as HygieneReport;
    };

    const report = await eventually(async () => {
      const body = await getHygiene();
      const refs = body.groups.flatMap(g => g.items.map(i => i.entityRef));
      return refs.length === 2 ? body : undefined;
    }, 'both broken entities on the hygiene list');

    expect(report.groups).toEqual([
      {
        businessUnit: 'group:default/payments',
        items: [
          expect.objectContaining({
            entityRef: 'component:default/legacy-billing',
            title: 'Legacy Billing',
            owner: 'checkout',
            costCenter: 'CC-2001',
            problems: [
              {
                code: 'cost-center-not-in-business-unit',
                severity: 'error',
                message:
                  'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
              },
            ],
            updatedAt: expect.any(String),
          }),
        ],
      },
      {
        businessUnit: null,
        items: [
          {
            entityRef: 'component:default/stray-job',
            title: 'stray-job',
            owner: 'ghosts',
            costCenter: null,
            problems: [
              {
                code: 'unknown-owner',
                severity: 'error',
                message:
                  'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
              },
            ],
            updatedAt: expect.any(String),
            inCatalog: false,
            source: `file:${mockDir.resolve('stray.yaml')}`,
          },
        ],
      },
    ]);
    // Clean entities are not listed
    expect(JSON.stringify(report)).not.toContain('orders-service');

    // Fixing the cost center takes it off the list
    mockDir.setContent({
      'org.yaml': ORG,
      'legacy.yaml': WRONG_COST_CENTER.replace('CC-2001', 'CC-1002'),
      'stray.yaml': UNKNOWN_OWNER,
    });
    const fixed = await eventually(async () => {
      const body = await getHygiene();
      return body.groups.length === 1 ? body : undefined;
    }, 'legacy-billing to leave the list');
    expect(fixed.groups[0].items.map(i => i.entityRef)).toEqual([
      'component:default/stray-job',
    ]);
  });

  it('in warn enforcement lists problems as warnings of stored entities that keep updating', async () => {
    mockDir.setContent({
      'org.yaml': ORG,
      'legacy.yaml': WRONG_COST_CENTER,
      'stray.yaml': UNKNOWN_OWNER,
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        unprocessedModule,
        pavedRoadPlugin,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              locations: ['org.yaml', 'legacy.yaml', 'stray.yaml'].map(
                file => ({ type: 'file', target: mockDir.resolve(file) }),
              ),
              rules: [{ allow: ['Component', 'Group'] }],
            },
            pavedRoad: {
              hygiene: { cacheSeconds: 0 },
              ownership: { enforcement: 'warn' },
            },
          },
        }),
      ],
    });
    const getHygiene = async () => {
      const res = await request(server)
        .get('/api/paved-road/hygiene')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body as HygieneReport;
    };

    const report = await eventually(async () => {
      const body = await getHygiene();
      const refs = body.groups.flatMap(g => g.items.map(i => i.entityRef));
      return refs.length === 2 ? body : undefined;
    }, 'both entities with problems on the hygiene list');
    expect(report.groups).toEqual([
      {
        businessUnit: 'group:default/payments',
        items: [
          expect.objectContaining({
            entityRef: 'component:default/legacy-billing',
            inCatalog: true,
            problems: [
              {
                code: 'cost-center-not-in-business-unit',
                severity: 'warning',
                message:
                  'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
              },
            ],
          }),
        ],
      },
      {
        businessUnit: null,
        items: [
          expect.objectContaining({
            entityRef: 'component:default/stray-job',
            // Stored: it has an entity page
            inCatalog: true,
            problems: [
              {
                code: 'unknown-owner',
                severity: 'warning',
                message:
                  'spec.owner: Owner group:default/ghosts is not a Group in the catalog',
              },
            ],
          }),
        ],
      },
    ]);

    // The entity keeps updating while it stays on the list
    mockDir.setContent({
      'org.yaml': ORG,
      'legacy.yaml': WRONG_COST_CENTER,
      'stray.yaml': UNKNOWN_OWNER.replace(
        'name: stray-job\n',
        'name: stray-job\n  description: Nightly export\n',
      ),
    });
    await eventually(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/component/default/stray-job',
      );
      return res.body?.metadata?.description === 'Nightly export'
        ? true
        : undefined;
    }, 'stray-job to pick up its new description');
    const after = await getHygiene();
    expect(after.groups[1].items.map(i => i.entityRef)).toEqual([
      'component:default/stray-job',
    ]);
  });

  it('lists a project whose deploy/paved-road.yaml is invalid, as the deployments plugin reports it', async () => {
    mockDir.setContent({ 'org.yaml': ORG });
    const callers: string[] = [];
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModulePavedRoad,
        unprocessedModule,
        pavedRoadPlugin,
        deploymentsStandIn(callers),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
              ],
              rules: [{ allow: ['Component', 'Group'] }],
            },
            pavedRoad: { hygiene: { cacheSeconds: 0 } },
          },
        }),
      ],
    });

    const report = await eventually(async () => {
      const res = await request(server)
        .get('/api/paved-road/hygiene')
        .set('authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      const body = res.body as HygieneReport;
      // The groups may be stitched after the component: wait for its business unit too
      return body.groups[0]?.businessUnit ? body : undefined;
    }, 'orders-service on the hygiene list under its business unit');

    expect(report.groups).toEqual([
      {
        businessUnit: 'group:default/payments',
        items: [
          {
            entityRef: 'component:default/orders-service',
            title: 'orders-service',
            owner: 'checkout',
            costCenter: 'CC-1001',
            problems: [
              {
                code: 'invalid-deployment-settings',
                severity: 'error',
                message: INVALID_SETTINGS.items[0].message,
                commitSha: INVALID_SETTINGS.items[0].commitSha,
                detectedAt: INVALID_SETTINGS.items[0].detectedAt,
              },
            ],
            updatedAt: expect.any(String),
            inCatalog: true,
            source: `file:${mockDir.resolve('org.yaml')}`,
          },
        ],
      },
    ]);
    // Asked with the paved-road plugin's own service token
    expect(new Set(callers)).toEqual(new Set(['plugin:paved-road']));
  });

  it('answers 401 without credentials and 403 to services', async () => {
    const { server } = await startTestBackend({
      features: [
        pavedRoadPlugin,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    const anonymous = await request(server)
      .get('/api/paved-road/hygiene')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const service = await request(server)
      .get('/api/paved-road/hygiene')
      .set('authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });
});
