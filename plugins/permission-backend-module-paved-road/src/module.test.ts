import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  costsBudgetUpdatePermission,
  costsReportReadPermission,
} from '@paved-road/plugin-costs-common';
import {
  deploymentCreatePermission,
  deploymentSettingsUpdatePermission,
  projectDeactivatePermission,
} from '@paved-road/plugin-deployments-common';
import {
  templateHealthCheckCreatePermission,
  templateProjectUpgradePermission,
} from '@paved-road/plugin-templates-common';
import request from 'supertest';
import { permissionModulePavedRoadPolicy } from './module';

jest.setTimeout(60_000);

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: payments }
spec: { type: business-unit, children: [checkout] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: checkout }
spec: { type: team, parent: payments, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: logistics }
spec: { type: business-unit, children: [fleet] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: fleet }
spec: { type: team, parent: logistics, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform }
spec: { type: business-unit, children: [platform-engineers, platform-admins] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-engineers }
spec: { type: team, parent: platform, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: platform-admins }
spec: { type: team, parent: platform, children: [on-call] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: on-call }
spec: { type: team, parent: platform-admins, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: orders-service }
spec: { type: service, lifecycle: production, owner: checkout }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: payments-ledger }
spec: { type: service, lifecycle: production, owner: payments }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: fleet-tracker }
spec: { type: service, lifecycle: production, owner: fleet }
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: { name: kotlin-service }
spec:
  type: service
  owner: platform-engineers
  steps: []
`;

/** Each role's user and the groups the auth backend would put in its token. */
const USERS = {
  owner: { ref: 'user:default/olga', groups: ['group:default/checkout'] },
  otherTeam: { ref: 'user:default/carol', groups: ['group:default/fleet'] },
  platformEngineer: {
    ref: 'user:default/pete',
    groups: ['group:default/platform-engineers'],
  },
  admin: {
    ref: 'user:default/admin',
    groups: ['group:default/platform-admins'],
  },
  // An admin only through a child group of the admin group.
  childAdmin: { ref: 'user:default/otto', groups: ['group:default/on-call'] },
};
type Role = keyof typeof USERS;

/**
 * mockServices' httpAuth turns an on-behalf-of token into a user without
 * its actor. Real Backstage keeps the actor, and the catalog's
 * apply-conditions endpoint (called by the permission backend for every
 * conditional decision) refuses a user without one.
 */
const httpAuthKeepingActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): HttpAuthService {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    const prefix = 'Bearer mock-service-token:';
    return {
      async credentials(req, options) {
        const header = req.headers.authorization ?? '';
        const obo = header.startsWith(prefix)
          ? JSON.parse(header.slice(prefix.length)).obo
          : undefined;
        if (obo) {
          return mockCredentials.user(obo, {
            actor: { subject: 'plugin:permission' },
          }) as any;
        }
        return inner.credentials(req, options);
      },
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
  },
});

const ORDERS = 'component:default/orders-service';
const LEDGER = 'component:default/payments-ledger';
const FLEET = 'component:default/fleet-tracker';
const TEMPLATE = 'template:default/kotlin-service';
const PAYMENTS_BU = 'group:default/payments';
const LOGISTICS_BU = 'group:default/logistics';

describe('permissionModulePavedRoadPolicy through the permission backend', () => {
  const mockDir = createMockDirectory();
  let server: Parameters<typeof request>[0];
  let permissions: PermissionsService;

  beforeAll(async () => {
    mockDir.setContent({ 'org.yaml': ORG });
    const probe = createBackendPlugin({
      pluginId: 'probe',
      register(reg) {
        reg.registerInit({
          deps: { permissions: coreServices.permissions },
          async init(deps) {
            permissions = deps.permissions;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModulePavedRoadPolicy,
        catalogPlugin,
        catalogModuleTemplateKind,
        probe,
        httpAuthKeepingActors,
        mockServices.userInfo.mock({
          async getUserInfo(credentials) {
            const { userEntityRef } = credentials.principal as {
              userEntityRef: string;
            };
            const user = Object.values(USERS).find(
              u => u.ref === userEntityRef,
            );
            return {
              userEntityRef,
              ownershipEntityRefs: [userEntityRef, ...(user?.groups ?? [])],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            pavedRoad: {
              permissions: {
                adminGroups: ['group:default/platform-admins'],
                platformEngineerGroups: ['platform-engineers'],
              },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [
                {
                  allow: ['Component', 'Group', 'User', 'Template', 'Location'],
                },
              ],
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    await untilCatalogHas([
      ORDERS,
      LEDGER,
      FLEET,
      TEMPLATE,
      'group:default/on-call',
      'group:default/checkout',
    ]);
  });

  async function untilCatalogHas(refs: string[]) {
    const deadline = Date.now() + 30_000;
    for (const ref of refs) {
      const [kind, rest] = ref.split(':');
      for (;;) {
        const res = await request(server)
          .get(`/api/catalog/entities/by-name/${kind}/${rest}`)
          .set('Authorization', mockCredentials.service.header());
        // Wait for relations too: the owner's childOf relations come with
        // stitching.
        if (res.status === 200 && res.body.relations?.length) break;
        if (Date.now() > deadline) throw new Error(`${ref} never appeared`);
        await new Promise(r => setTimeout(r, 200));
      }
    }
  }

  /** What POST /api/permission/authorize answers for one role. */
  async function decide(
    role: Role,
    permission: Permission,
    resourceRef?: string,
  ): Promise<AuthorizeResult> {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(USERS[role].ref))
      .send({ items: [{ id: '1', permission, resourceRef }] });
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 200,
    });
    return res.body.items[0].result;
  }

  const { ALLOW, DENY } = AuthorizeResult;

  describe.each([
    deploymentSettingsUpdatePermission,
    deploymentCreatePermission,
    projectDeactivatePermission,
  ])('$name', permission => {
    it.each<[Role, string, AuthorizeResult]>([
      ['owner', ORDERS, ALLOW],
      ['owner', LEDGER, ALLOW], // owned by payments, parent of checkout
      ['owner', FLEET, DENY],
      ['otherTeam', ORDERS, DENY],
      ['otherTeam', FLEET, ALLOW],
      ['platformEngineer', ORDERS, DENY],
      ['admin', ORDERS, ALLOW],
      ['admin', FLEET, ALLOW],
      ['childAdmin', FLEET, ALLOW],
    ])('%s on %s: %s', async (role, entity, expected) => {
      expect(await decide(role, permission, entity)).toBe(expected);
    });
  });

  describe('templates.project.upgrade', () => {
    it.each<[Role, string, AuthorizeResult]>([
      ['owner', ORDERS, ALLOW],
      ['owner', FLEET, DENY],
      ['otherTeam', ORDERS, DENY],
      // Rolling a template version out across teams only opens branches.
      ['platformEngineer', ORDERS, ALLOW],
      ['platformEngineer', FLEET, ALLOW],
      ['admin', FLEET, ALLOW],
    ])('%s on %s: %s', async (role, entity, expected) => {
      expect(
        await decide(role, templateProjectUpgradePermission, entity),
      ).toBe(expected);
    });
  });

  describe('costs.budget.update on a business unit', () => {
    it.each<[Role, string, AuthorizeResult]>([
      ['owner', PAYMENTS_BU, ALLOW], // member through child team checkout
      ['owner', LOGISTICS_BU, DENY],
      ['otherTeam', LOGISTICS_BU, ALLOW],
      ['otherTeam', PAYMENTS_BU, DENY],
      ['platformEngineer', PAYMENTS_BU, DENY],
      ['admin', PAYMENTS_BU, ALLOW],
    ])('%s on %s: %s', async (role, entity, expected) => {
      expect(await decide(role, costsBudgetUpdatePermission, entity)).toBe(
        expected,
      );
    });

    it('does not treat a component the user owns as their business unit', async () => {
      expect(await decide('owner', costsBudgetUpdatePermission, ORDERS)).toBe(
        DENY,
      );
    });
  });

  describe('catalog management', () => {
    it.each<[Role, AuthorizeResult]>([
      ['owner', DENY],
      ['otherTeam', DENY],
      ['platformEngineer', ALLOW],
      ['admin', ALLOW],
    ])('%s registers and unregisters locations: %s', async (role, expected) => {
      expect(await decide(role, catalogLocationCreatePermission)).toBe(
        expected,
      );
      expect(await decide(role, catalogLocationDeletePermission)).toBe(
        expected,
      );
      expect(await decide(role, catalogEntityDeletePermission, ORDERS)).toBe(
        expected,
      );
    });

    it.each<[Role, AuthorizeResult]>([
      ['owner', DENY],
      ['platformEngineer', ALLOW],
      ['admin', ALLOW],
    ])('%s records a template check result: %s', async (role, expected) => {
      expect(await decide(role, templateHealthCheckCreatePermission)).toBe(
        expected,
      );
    });

    it.each<[Role, string, AuthorizeResult]>([
      ['owner', ORDERS, ALLOW],
      ['owner', TEMPLATE, DENY],
      ['platformEngineer', TEMPLATE, ALLOW],
      ['admin', TEMPLATE, ALLOW],
    ])('%s refreshes %s: %s', async (role, entity, expected) => {
      expect(await decide(role, catalogEntityRefreshPermission, entity)).toBe(
        expected,
      );
    });
  });

  describe('reads stay open to everyone signed in', () => {
    it.each<Role>(['owner', 'otherTeam', 'platformEngineer'])(
      '%s reads the catalog, costs and tasks of another team',
      async role => {
        expect(await decide(role, catalogEntityReadPermission, FLEET)).toBe(
          ALLOW,
        );
        expect(await decide(role, costsReportReadPermission, ORDERS)).toBe(
          ALLOW,
        );
        expect(await decide(role, taskReadPermission, 'some-task')).toBe(ALLOW);
        expect(await decide(role, taskCreatePermission)).toBe(ALLOW);
      },
    );
  });

  describe('scaffolder.task.cancel', () => {
    it('is conditional on being the task creator', async () => {
      const [decision] = await permissions.authorizeConditional(
        [{ permission: taskCancelPermission }],
        { credentials: mockCredentials.user(USERS.otherTeam.ref) },
      );
      expect(decision).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          resourceType: 'scaffolder-task',
          rule: 'IS_TASK_OWNER',
          params: { createdBy: [USERS.otherTeam.ref] },
        },
      });
    });

    it('is allowed to admins for any task', async () => {
      const [decision] = await permissions.authorizeConditional(
        [{ permission: taskCancelPermission }],
        { credentials: mockCredentials.user(USERS.admin.ref) },
      );
      expect(decision.result).toBe(ALLOW);
    });
  });
});
