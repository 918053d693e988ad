import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type {
  Deployment,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { DatabaseDeploymentsStore } from './DatabaseDeploymentsStore';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders-service';
const PAYMENTS = 'component:default/payment-gateway';

function deployment(
  overrides: Partial<Deployment> & { id: string },
): Deployment {
  return {
    entityRef: ORDERS,
    environment: 'production',
    version: '1.0.0',
    status: 'succeeded',
    strategy: 'canary',
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:07:00.000Z',
    ...overrides,
  };
}

function settingsVersion(
  overrides: Partial<DeploymentSettingsVersion> & { version: number },
): DeploymentSettingsVersion {
  return {
    entityRef: ORDERS,
    settings: DEFAULT_DEPLOYMENT_SETTINGS,
    createdBy: 'user:default/alice',
    createdAt: '2026-01-01T09:00:00.000Z',
    source: 'portal',
    commitSha: null,
    commitUrl: null,
    message: null,
    ...overrides,
  };
}

describe('DatabaseDeploymentsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseDeploymentsStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('lists an entity’s deployments newest first, honouring the limit', async () => {
      const { store } = await createStore(databaseId);
      await store.insertDeployments([
        deployment({ id: 'a', startedAt: '2026-01-01T10:00:00.000Z' }),
        deployment({ id: 'c', startedAt: '2026-01-03T10:00:00.000Z' }),
        deployment({ id: 'b', startedAt: '2026-01-02T10:00:00.000Z' }),
        deployment({ id: 'other', entityRef: PAYMENTS }),
      ]);

      const all = await store.listDeployments(ORDERS, { limit: 50 });
      expect(all.map(d => d.id)).toEqual(['c', 'b', 'a']);

      const limited = await store.listDeployments(ORDERS, { limit: 2 });
      expect(limited.map(d => d.id)).toEqual(['c', 'b']);
    });

    it('round-trips every field, including a running deployment, as sample history', async () => {
      const { store } = await createStore(databaseId);
      const finished = deployment({ id: 'done', status: 'rolled-back' });
      const running = deployment({
        id: 'running',
        status: 'in-progress',
        startedAt: '2026-01-11T08:30:00.000Z',
        finishedAt: null,
      });
      await store.insertDeployments([finished, running]);

      // Inserted rows are sample history: no commit, no reason.
      const sample = { source: 'sample', commitSha: null, reason: null };
      await expect(
        store.listDeployments(ORDERS, { limit: 10 }),
      ).resolves.toEqual([
        { ...running, ...sample },
        { ...finished, ...sample },
      ]);
    });

    it('keeps the first row when an id is inserted again', async () => {
      const { store } = await createStore(databaseId);
      await store.insertDeployments([
        deployment({ id: 'x', version: '1.0.0' }),
      ]);
      await store.insertDeployments([
        deployment({ id: 'x', version: '9.9.9' }),
        deployment({ id: 'y', startedAt: '2026-01-09T00:00:00.000Z' }),
      ]);

      const rows = await store.listDeployments(ORDERS, { limit: 10 });
      expect(rows.map(d => [d.id, d.version])).toEqual([
        ['x', '1.0.0'],
        ['y', '1.0.0'],
      ]);
    });

    it('returns the latest settings version and the full history', async () => {
      const { store } = await createStore(databaseId);
      const v1 = settingsVersion({ version: 1 });
      const v2 = settingsVersion({
        version: 2,
        settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, replicas: 4 },
        createdBy: 'user:default/bob',
        createdAt: '2026-01-05T12:00:00.000Z',
      });
      await store.insertSettingsVersions([v2, v1]);

      await expect(store.getLatestSettings(ORDERS)).resolves.toEqual(v2);
      await expect(store.listSettingsVersions(ORDERS)).resolves.toEqual([
        v2,
        v1,
      ]);
      await expect(store.getLatestSettings(PAYMENTS)).resolves.toBeUndefined();
      await expect(store.listSettingsVersions(PAYMENTS)).resolves.toEqual([]);
    });

    it('keeps the first settings when a version is inserted again', async () => {
      const { store } = await createStore(databaseId);
      const v1 = settingsVersion({ version: 1 });
      await store.insertSettingsVersions([v1]);
      await store.insertSettingsVersions([
        settingsVersion({
          version: 1,
          settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, replicas: 9 },
        }),
      ]);

      await expect(store.listSettingsVersions(ORDERS)).resolves.toEqual([v1]);
    });

    it('inserts more rows than fit in one statement', async () => {
      const { store } = await createStore(databaseId);
      const many = Array.from({ length: 120 }, (_, i) =>
        deployment({
          id: `d-${String(i).padStart(3, '0')}`,
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        }),
      );
      await store.insertDeployments(many);

      const rows = await store.listDeployments(ORDERS, { limit: 200 });
      expect(rows).toHaveLength(120);
      expect(rows[0].id).toBe('d-119');
    });

    it('appends a version with its commit, and refuses the same version twice', async () => {
      const { store, knex } = await createStore(databaseId);
      const v1 = settingsVersion({
        version: 1,
        source: 'template',
        commitSha: 'a'.repeat(40),
        commitUrl: 'http://git.example/a',
        message: 'Initial commit',
      });
      await store.appendSettingsVersion(v1);
      const v2 = settingsVersion({
        version: 2,
        settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, replicas: 3 },
        createdBy: 'user:default/bob',
        commitSha: 'b'.repeat(40),
        message: 'more traffic',
      });
      await store.appendSettingsVersion(v2, async trx => {
        await trx('deployment_projects').insert({
          entity_ref: 'marker',
          deactivated: false,
        });
      });

      // A second writer from the same base version loses, and whatever it
      // did in the transaction rolls back with it.
      await expect(
        store.appendSettingsVersion(
          settingsVersion({ version: 2, createdBy: 'user:default/carol' }),
          async trx => {
            await trx('deployment_projects').insert({
              entity_ref: 'loser',
              deactivated: false,
            });
          },
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });

      await expect(store.listSettingsVersions(ORDERS)).resolves.toEqual([
        v2,
        v1,
      ]);
      await expect(
        store.getSettingsVersionByCommit(ORDERS, 'b'.repeat(40)),
      ).resolves.toEqual(v2);
      await expect(
        knex('deployment_projects').pluck('entity_ref'),
      ).resolves.toEqual(['marker']);
    });

    it('lets exactly one of two concurrent writers store a version', async () => {
      const { store } = await createStore(databaseId);
      await store.appendSettingsVersion(settingsVersion({ version: 1 }));

      const results = await Promise.allSettled(
        ['user:default/a', 'user:default/b'].map(createdBy =>
          store.appendSettingsVersion(
            settingsVersion({ version: 2, createdBy }),
          ),
        ),
      );

      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      const rejected = results.find(
        (r): r is PromiseRejectedResult => r.status === 'rejected',
      );
      expect(rejected?.reason.name).toBe('ConflictError');
      await expect(store.listSettingsVersions(ORDERS)).resolves.toHaveLength(2);
    });

    it('keeps project state: repository, deactivation, sync result', async () => {
      const { store } = await createStore(databaseId);
      await expect(store.getProject(ORDERS)).resolves.toBeUndefined();

      await store.upsertProject(ORDERS, 'http://git.example/orders.git');
      await store.setDeactivated(ORDERS, {
        by: 'user:default/alice',
        at: '2026-02-01T10:00:00.000Z',
      });
      // Upserting again keeps the state.
      await store.upsertProject(ORDERS, 'http://git.example/orders.git');
      await expect(store.getProject(ORDERS)).resolves.toEqual({
        entityRef: ORDERS,
        repoUrl: 'http://git.example/orders.git',
        deactivated: true,
        deactivatedBy: 'user:default/alice',
        deactivatedAt: '2026-02-01T10:00:00.000Z',
        settingsError: null,
        syncedCommitSha: null,
      });

      await store.setSyncResult(ORDERS, {
        syncedCommitSha: 'c'.repeat(40),
        settingsError: {
          message: 'spec.replicas: too small',
          commitSha: 'c'.repeat(40),
        },
      });
      const failing = await store.getProject(ORDERS);
      expect(failing?.settingsError).toEqual({
        message: 'spec.replicas: too small',
        commitSha: 'c'.repeat(40),
        detectedAt: expect.any(String),
      });
      // The same error seen again keeps the time it was first detected.
      await store.setSyncResult(ORDERS, {
        syncedCommitSha: 'c'.repeat(40),
        settingsError: {
          message: 'spec.replicas: too small',
          commitSha: 'c'.repeat(40),
        },
      });
      await expect(store.getProject(ORDERS)).resolves.toMatchObject({
        settingsError: { detectedAt: failing?.settingsError?.detectedAt },
      });

      await store.setDeactivated(ORDERS, null);
      await store.setSyncResult(ORDERS, {
        syncedCommitSha: 'd'.repeat(40),
        settingsError: null,
      });
      await expect(store.getProject(ORDERS)).resolves.toMatchObject({
        deactivated: false,
        deactivatedBy: null,
        deactivatedAt: null,
        settingsError: null,
        syncedCommitSha: 'd'.repeat(40),
      });
    });

    it('lists the projects with a settings error, by entity ref', async () => {
      const { store } = await createStore(databaseId);
      await expect(store.listSettingsErrors()).resolves.toEqual([]);

      await store.upsertProject(ORDERS, 'http://git.example/orders.git');
      await store.upsertProject(PAYMENTS, 'http://git.example/payments.git');
      await store.upsertProject(
        'component:default/clean',
        'http://git.example/clean.git',
      );
      for (const ref of [PAYMENTS, ORDERS]) {
        await store.setSyncResult(ref, {
          syncedCommitSha: 'e'.repeat(40),
          settingsError: {
            message: `deploy/paved-road.yaml at eeeeeeeeeeee: spec.replicas: too small (${ref})`,
            commitSha: 'e'.repeat(40),
          },
        });
      }
      const payments = await store.getProject(PAYMENTS);

      await expect(store.listSettingsErrors()).resolves.toEqual([
        {
          entityRef: ORDERS,
          message: `deploy/paved-road.yaml at eeeeeeeeeeee: spec.replicas: too small (${ORDERS})`,
          commitSha: 'e'.repeat(40),
          detectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        {
          entityRef: PAYMENTS,
          message: `deploy/paved-road.yaml at eeeeeeeeeeee: spec.replicas: too small (${PAYMENTS})`,
          commitSha: 'e'.repeat(40),
          detectedAt: payments?.settingsError?.detectedAt,
        },
      ]);

      // Fixed: off the list
      await store.setSyncResult(ORDERS, {
        syncedCommitSha: 'f'.repeat(40),
        settingsError: null,
      });
      await expect(store.listSettingsErrors()).resolves.toEqual([
        expect.objectContaining({ entityRef: PAYMENTS }),
      ]);
    });

    it('skips migrations when the database service says so', async () => {
      const knex = await databases.init(databaseId);
      await DatabaseDeploymentsStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      await expect(knex.schema.hasTable('deployments')).resolves.toBe(false);
    });
  });
});
