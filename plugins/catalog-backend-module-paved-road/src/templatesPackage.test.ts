import { resolve as resolvePath } from 'node:path';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import request from 'supertest';
import { catalogModulePavedRoad } from './module';

jest.setTimeout(60_000);

/*
 * The content of @paved-road/templates (templates/ at the repository root),
 * registered the way templates/README.md tells a portal to: one location for
 * all templates, one for the sample organisation, next to the examples of a
 * stock `create-app` app and its catalog rules. Everything loads, nothing
 * collides, and the ownership processor finds nothing to complain about.
 */

const TEMPLATES = resolvePath(__dirname, '../../../templates');

// create-app 0.9.2's examples/org.yaml, the same for both frontend systems.
const STOCK_ORG = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: guest
spec:
  memberOf: [guests]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: guests
spec:
  type: squad
  children: []
`;

const EXPECTED = [
  'location/default/paved-road-templates',
  'template/default/kotlin-spring-service',
  'template/default/kotlin-library',
  'template/default/paved-road-template',
  ...['payments', 'logistics', 'platform'].map(n => `group/default/${n}`),
  ...[
    'payments-core',
    'checkout',
    'fleet',
    'warehouse',
    'platform-engineers',
    'platform-admins',
  ].map(n => `group/default/${n}`),
  ...['alice', 'bob', 'carol', 'dave'].map(n => `user/default/${n}`),
  // the stock app's own
  'user/default/guest',
  'group/default/guests',
];

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe('@paved-road/templates in a stock app catalog', () => {
  const mockDir = createMockDirectory();

  it('registers every template and the sample organisation next to the stock examples', async () => {
    mockDir.setContent({ 'org.yaml': STOCK_ORG });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        // as in create-app's backend: the catalog learns kind Template
        catalogModuleScaffolderEntityModel,
        catalogModulePavedRoad,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              // create-app's global rules: no Template, User or Group.
              rules: [
                {
                  allow: ['Component', 'System', 'API', 'Resource', 'Location'],
                },
              ],
              locations: [
                {
                  type: 'file',
                  target: mockDir.resolve('org.yaml'),
                  rules: [{ allow: ['User', 'Group'] }],
                },
                // templates/README.md's two locations
                {
                  type: 'file',
                  target: resolvePath(TEMPLATES, 'all.yaml'),
                  rules: [{ allow: ['Location', 'Template'] }],
                },
                {
                  type: 'file',
                  target: resolvePath(TEMPLATES, 'sample-org/org.yaml'),
                  rules: [{ allow: ['Group', 'User'] }],
                },
              ],
            },
          },
        }),
      ],
    });

    const getEntity = async (ref: string) => {
      const res = await request(server).get(
        `/api/catalog/entities/by-name/${ref}`,
      );
      return res.status === 200 ? (res.body as AlphaEntity) : undefined;
    };

    for (const ref of EXPECTED) {
      const entity = await eventually(() => getEntity(ref), ref);
      expect({ ref, problems: entity.status?.items ?? [] }).toEqual({
        ref,
        problems: [],
      });
    }
  });
});
