import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { DatabaseDeploymentEnvironmentsStore } from './DatabaseDeploymentEnvironmentsStore';
import { DatabaseDeploymentRunsStore } from './DatabaseDeploymentRunsStore';
import { EnvironmentDeployment } from './DeploymentEnvironmentsStore';
import { DatabaseDeploymentsStore } from './DatabaseDeploymentsStore';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders-service';
const PAYMENTS = 'component:default/payments';
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const HOUR = 60;

function preview(
  overrides: Partial<EnvironmentDeployment> = {},
): EnvironmentDeployment {
  return {
    entityRef: ORDERS,
    name: 'preview-feature-x',
    kind: 'preview',
    branch: 'feature/x',
    by: 'user:default/alice',
    at: T0,
    expiresAt: at(HOUR),
    ...overrides,
  };
}

function production(): EnvironmentDeployment {
  return {
    ...preview(),
    name: 'production',
    kind: 'standard',
    branch: null,
    expiresAt: null,
  };
}

describe('DatabaseDeploymentEnvironmentsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const environments = await DatabaseDeploymentEnvironmentsStore.create({
      database,
    });
    const runs = await DatabaseDeploymentRunsStore.create({ database });
    const store = await DatabaseDeploymentsStore.create({ database });
    /** Records a deployment in a transaction of its own, as a run would. */
    const record = (deployment: EnvironmentDeployment) =>
      store.transaction(trx => environments.recordDeployment(trx, deployment));
    return { knex, environments, runs, record };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('creates an environment with its first deployment and renews it with the next', async () => {
      const { environments, record } = await createStore(databaseId);

      await record(preview());
      await record(
        preview({ by: 'user:default/bob', at: at(30), expiresAt: at(90) }),
      );
      await record(production());

      await expect(
        environments.get(ORDERS, 'preview-feature-x'),
      ).resolves.toEqual({
        entityRef: ORDERS,
        name: 'preview-feature-x',
        kind: 'preview',
        branch: 'feature/x',
        // The first deployer created it; the second renewed it.
        createdBy: 'user:default/alice',
        createdAt: T0.toISOString(),
        lastDeployedAt: at(30).toISOString(),
        expiresAt: at(90).toISOString(),
        tornDownAt: null,
        tornDownBy: null,
      });
      await expect(environments.get(ORDERS, 'production')).resolves.toEqual(
        expect.objectContaining({
          kind: 'standard',
          branch: null,
          expiresAt: null,
        }),
      );
      await expect(environments.get(PAYMENTS, 'production')).resolves.toBe(
        undefined,
      );
    });

    it('refuses a live preview for another branch of the same name, rolling back the run with it', async () => {
      const { environments, runs, record } = await createStore(databaseId);
      await record(preview());

      const run = {
        id: 'run-1',
        entityRef: ORDERS,
        environment: 'preview-feature-x',
        kind: 'deploy' as const,
        ref: 'feature-x',
        commitSha: 'a'.repeat(40),
        committedAt: T0.toISOString(),
        previousCommitSha: null,
        repository: {
          cloneUrl: 'http://localhost:7007/api/local-git/orders-service.git',
          defaultBranch: 'main',
        },
        settings: DEFAULT_DEPLOYMENT_SETTINGS,
        settingsVersion: 1,
        triggeredBy: 'user:default/bob',
        requestedAt: at(5).toISOString(),
      };
      const queued = runs.createRun(run, trx =>
        environments.recordDeployment(
          trx,
          preview({ branch: 'feature-x', at: at(5), expiresAt: at(65) }),
        ),
      );

      await expect(queued).rejects.toThrow(ConflictError);
      await expect(queued).rejects.toThrow(
        'preview-feature-x is the preview of branch feature/x; tear it down before deploying feature-x there',
      );
      await expect(runs.getRun('run-1')).resolves.toBeUndefined();
      await expect(
        environments.get(ORDERS, 'preview-feature-x'),
      ).resolves.toMatchObject({
        branch: 'feature/x',
        lastDeployedAt: T0.toISOString(),
      });
    });

    it('lists the live environments of an entity newest first', async () => {
      const { environments, record } = await createStore(databaseId);
      await record(production());
      await record(preview({ at: at(10) }));
      await record(
        preview({ name: 'preview-login', branch: 'login', at: at(20) }),
      );
      await record(preview({ entityRef: PAYMENTS, at: at(30) }));
      const login = await environments.get(ORDERS, 'preview-login');
      await environments.markTornDown(login!, {
        by: 'user:default/alice',
        at: at(40),
      });

      const live = await environments.listLive(ORDERS);

      expect(live.map(e => e.name)).toEqual([
        'preview-feature-x',
        'production',
      ]);
    });

    it('marks a preview torn down once, with its audit in the same transaction, and only while nothing was deployed since it was read', async () => {
      const { environments, record } = await createStore(databaseId);
      await record(preview());
      const read = await environments.get(ORDERS, 'preview-feature-x');
      const audited: string[] = [];

      // A deployment queued after the read renews it: the read is stale.
      await record(preview({ at: at(5), expiresAt: at(65) }));
      await expect(
        environments.markTornDown(
          read!,
          { by: 'user:default/alice', at: at(6) },
          async () => {
            audited.push('stale');
          },
        ),
      ).resolves.toBe(false);

      const fresh = await environments.get(ORDERS, 'preview-feature-x');
      await expect(
        environments.markTornDown(
          fresh!,
          { by: 'user:default/alice', at: at(7) },
          async trx => {
            audited.push(
              String(
                (
                  await trx('deployment_environments')
                    .where({ name: 'preview-feature-x' })
                    .first()
                ).torn_down_by,
              ),
            );
          },
        ),
      ).resolves.toBe(true);
      await expect(
        environments.markTornDown(fresh!, {
          by: 'plugin:deployments',
          at: at(8),
        }),
      ).resolves.toBe(false);

      expect(audited).toEqual(['user:default/alice']);
      await expect(
        environments.get(ORDERS, 'preview-feature-x'),
      ).resolves.toMatchObject({
        tornDownAt: at(7).toISOString(),
        tornDownBy: 'user:default/alice',
      });
      await expect(environments.listLive(ORDERS)).resolves.toEqual([]);

      // An audit that fails rolls the mark back.
      await record(preview({ at: at(9), expiresAt: at(69) }));
      const revived = await environments.get(ORDERS, 'preview-feature-x');
      await expect(
        environments.markTornDown(
          revived!,
          { by: 'user:default/alice', at: at(10) },
          async () => {
            throw new Error('outbox down');
          },
        ),
      ).rejects.toThrow('outbox down');
      await expect(
        environments.get(ORDERS, 'preview-feature-x'),
      ).resolves.toMatchObject({ tornDownAt: null });
    });

    it('brings a torn-down preview back with the next deployment, created anew', async () => {
      const { environments, record } = await createStore(databaseId);
      await record(preview());
      const first = await environments.get(ORDERS, 'preview-feature-x');
      await environments.markTornDown(first!, {
        by: 'plugin:deployments',
        at: at(HOUR),
      });

      // Another branch of the same name may take it once torn down.
      await record(
        preview({
          branch: 'feature-x',
          by: 'user:default/bob',
          at: at(2 * HOUR),
          expiresAt: at(3 * HOUR),
        }),
      );

      await expect(
        environments.get(ORDERS, 'preview-feature-x'),
      ).resolves.toEqual({
        entityRef: ORDERS,
        name: 'preview-feature-x',
        kind: 'preview',
        branch: 'feature-x',
        createdBy: 'user:default/bob',
        createdAt: at(2 * HOUR).toISOString(),
        lastDeployedAt: at(2 * HOUR).toISOString(),
        expiresAt: at(3 * HOUR).toISOString(),
        tornDownAt: null,
        tornDownBy: null,
      });
    });

    it('lists live previews whose TTL ran out, oldest expiry first', async () => {
      const { environments, record } = await createStore(databaseId);
      await record(preview({ name: 'preview-a', expiresAt: at(30) }));
      await record(preview({ name: 'preview-b', expiresAt: at(10) }));
      await record(preview({ name: 'preview-c', expiresAt: at(90) }));
      await record(
        preview({ entityRef: PAYMENTS, name: 'preview-d', expiresAt: at(20) }),
      );
      await record(production());
      const d = await environments.get(PAYMENTS, 'preview-d');
      await environments.markTornDown(d!, {
        by: 'user:default/alice',
        at: at(25),
      });

      const expired = await environments.listExpired(at(30), { limit: 10 });

      expect(expired.map(e => `${e.entityRef} ${e.name}`)).toEqual([
        `${ORDERS} preview-b`,
        `${ORDERS} preview-a`,
      ]);
      await expect(
        environments.listExpired(at(30), { limit: 1 }),
      ).resolves.toHaveLength(1);
      await expect(
        environments.listExpired(at(5), { limit: 10 }),
      ).resolves.toEqual([]);
    });
  });
});
