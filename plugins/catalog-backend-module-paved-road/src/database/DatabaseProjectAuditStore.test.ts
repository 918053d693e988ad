import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { ProjectAuditRecordRequest } from '@paved-road/plugin-paved-road-common';
import { DatabaseProjectAuditStore } from './DatabaseProjectAuditStore';
import { MIGRATION_CONFIG } from './migrations';

jest.setTimeout(60_000);

const REQUEST: ProjectAuditRecordRequest = {
  taskId: 'task-1',
  createdBy: 'user:default/guest',
  templateRef: 'template:default/kotlin-library',
  entityRef: 'component:default/money-kt',
  owner: 'group:default/payments-core',
  businessUnit: 'group:default/payments',
  costCenter: 'CC-1002',
  repoUrl: 'file:///var/paved-road/git/money-kt.git',
};

describe('DatabaseProjectAuditStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(MIGRATION_CONFIG);
    return { knex, store: DatabaseProjectAuditStore.fromClient(knex) };
  }

  it.each(databases.eachSupportedId())(
    'records a task once, however often it is retried (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      const t0 = new Date('2026-11-22T10:00:00.000Z');

      const first = await store.record(REQUEST, t0);
      expect(first).toEqual({
        created: true,
        record: { ...REQUEST, createdAt: '2026-11-22T10:00:00.000Z' },
      });

      const retry = await store.record(
        { ...REQUEST, costCenter: 'CC-1001' },
        new Date('2026-11-22T10:01:00.000Z'),
      );
      // The first write wins; the caller decides whether a difference is a conflict.
      expect(retry).toEqual({ created: false, record: first.record });
      const [{ n }] = await knex('paved_road_project_audit').count({ n: '*' });
      expect(Number(n)).toBe(1);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists newest first, filtered by entity and by creator (%s)',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.record(REQUEST, new Date('2026-11-20T00:00:00Z'));
      await store.record(
        {
          ...REQUEST,
          taskId: 'task-2',
          createdBy: 'user:default/carol',
          entityRef: 'component:default/geo-utils',
          owner: 'group:default/fleet',
          businessUnit: null,
          costCenter: 'CC-2001',
        },
        new Date('2026-11-21T00:00:00Z'),
      );
      await store.record(
        { ...REQUEST, taskId: 'task-3' },
        new Date('2026-11-22T00:00:00Z'),
      );

      const all = await store.list({ limit: 10 });
      expect(all.map(r => r.taskId)).toEqual(['task-3', 'task-2', 'task-1']);
      expect(all[1].businessUnit).toBeNull();

      const byEntity = await store.list({
        entityRef: 'component:default/money-kt',
        limit: 10,
      });
      expect(byEntity.map(r => r.taskId)).toEqual(['task-3', 'task-1']);

      const byUser = await store.list({
        createdBy: 'user:default/carol',
        limit: 10,
      });
      expect(byUser.map(r => r.taskId)).toEqual(['task-2']);

      expect((await store.list({ limit: 1 })).map(r => r.taskId)).toEqual([
        'task-3',
      ]);
      await knex.destroy();
    },
  );
});
