import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { databaseOf } from '../__testUtils__/harness';
import {
  isUniqueViolation,
  LocalRuntimeStore,
  MIGRATIONS_TABLE,
} from './LocalRuntimeStore';

jest.setTimeout(60_000);

const key = {
  entityRef: 'component:default/orders-service',
  environment: 'production',
};
const serving = {
  deploymentId: 'd1',
  version: 'abc1234',
  artifact: '/tmp/x/d1/app.jar',
  instances: 2,
  replicas: 4,
  memoryMiB: 512,
  healthCheckPath: '/actuator/health',
};
const instance = {
  ...key,
  id: 'i1',
  deploymentId: 'd1',
  version: 'abc1234',
  artifact: '/tmp/x/d1/app.jar',
  pid: 4242,
  port: 41234,
  startedAt: '2026-12-10T10:00:00.000Z',
  restarts: 0,
};

describe('LocalRuntimeStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function create() {
      const knex = await databases.init(databaseId);
      return {
        knex,
        store: await LocalRuntimeStore.create({ database: databaseOf(knex) }),
      };
    }

    it('keeps its migrations apart from the plugin’s own', async () => {
      const { knex } = await create();
      await expect(knex.schema.hasTable(MIGRATIONS_TABLE)).resolves.toBe(true);
      await expect(knex.schema.hasTable('knex_migrations')).resolves.toBe(
        false,
      );
    });

    it('records a service with its port, owner and serving deployment', async () => {
      const { store } = await create();
      await store.insertService({
        ...key,
        port: 18100,
        host: 'laptop',
        ownerPid: 10,
      });
      await store.setServing(key, serving);

      await expect(store.getService(key)).resolves.toEqual({
        ...key,
        port: 18100,
        host: 'laptop',
        ownerPid: 10,
        serving,
      });
      await expect(store.usedPorts()).resolves.toEqual([18100]);

      await store.setServing(key, null);
      await expect(store.getService(key)).resolves.toMatchObject({
        serving: null,
      });
    });

    it('refuses a second service on the same port, and the same service twice', async () => {
      const { store } = await create();
      await store.insertService({
        ...key,
        port: 18100,
        host: 'laptop',
        ownerPid: 10,
      });
      const other = {
        entityRef: 'component:default/x',
        environment: 'production',
      };

      const samePort = await store
        .insertService({ ...other, port: 18100, host: 'laptop', ownerPid: 10 })
        .catch(e => e);
      const sameService = await store
        .insertService({ ...key, port: 18101, host: 'laptop', ownerPid: 10 })
        .catch(e => e);

      expect(isUniqueViolation(samePort)).toBe(true);
      expect(isUniqueViolation(sameService)).toBe(true);
      await expect(store.listServices()).resolves.toHaveLength(1);
    });

    it('hands a service over only from the owner it expects', async () => {
      const { store } = await create();
      await store.insertService({
        ...key,
        port: 18100,
        host: 'laptop',
        ownerPid: 10,
      });

      await expect(
        store.claimService(
          key,
          { host: 'laptop', pid: 20 },
          { host: 'laptop', pid: 11 },
        ),
      ).resolves.toBe(false);
      await expect(
        store.claimService(
          key,
          { host: 'laptop', pid: 20 },
          { host: 'laptop', pid: 10 },
        ),
      ).resolves.toBe(true);
      await expect(store.getService(key)).resolves.toMatchObject({
        ownerPid: 20,
      });

      await store.releaseServices({ host: 'laptop', pid: 20 });
      await expect(store.getService(key)).resolves.toMatchObject({
        ownerPid: null,
      });
      await expect(
        store.claimService(
          key,
          { host: 'laptop', pid: 30 },
          { host: 'laptop', pid: null },
        ),
      ).resolves.toBe(true);
    });

    it('records instances and their restarts; deleting the service forgets them', async () => {
      const { store } = await create();
      await store.insertService({
        ...key,
        port: 18100,
        host: 'laptop',
        ownerPid: 10,
      });
      await store.insertInstance(instance);
      await store.insertInstance({
        ...instance,
        id: 'i2',
        pid: 4243,
        port: 41235,
        startedAt: '2026-12-10T10:00:01.000Z',
      });

      await store.updateInstance('i1', {
        pid: 5000,
        port: 41300,
        startedAt: '2026-12-10T11:00:00.000Z',
        restarts: 1,
      });

      await expect(store.listInstances(key)).resolves.toEqual([
        {
          ...instance,
          id: 'i2',
          pid: 4243,
          port: 41235,
          startedAt: '2026-12-10T10:00:01.000Z',
        },
        {
          ...instance,
          pid: 5000,
          port: 41300,
          startedAt: '2026-12-10T11:00:00.000Z',
          restarts: 1,
        },
      ]);
      await store.deleteInstance('i2');
      await expect(store.listInstances()).resolves.toHaveLength(1);

      await store.deleteService(key);
      await expect(store.listServices()).resolves.toEqual([]);
      await expect(store.listInstances()).resolves.toEqual([]);
    });

    it('migrates up and down', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@paved-road/plugin-deployments-backend-module-local',
        'migrations',
      );
      for (const file of fs.readdirSync(directory)) {
        expect(file).toMatch(/^\d{14}_[a-z0-9_]+\.js$/);
      }
      await knex.migrate.latest({ directory, tableName: MIGRATIONS_TABLE });
      await expect(
        knex.schema.hasTable('local_runtime_services'),
      ).resolves.toBe(true);
      await expect(
        knex.schema.hasTable('local_runtime_instances'),
      ).resolves.toBe(true);

      await knex.migrate.down({ directory, tableName: MIGRATIONS_TABLE });
      await expect(
        knex.schema.hasTable('local_runtime_services'),
      ).resolves.toBe(false);
      await expect(
        knex.schema.hasTable('local_runtime_instances'),
      ).resolves.toBe(false);
    });
  });
});
