import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import { AuditOutbox } from './AuditOutbox';
import { PavedRoadAuditService } from './PavedRoadAuditService';

jest.setTimeout(60_000);

function makeEvent(n: number): AuditEventInput {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    action: 'deployment.started',
    outcome: 'succeeded',
    actor: 'user:default/guest',
    entityRef: 'component:default/orders-service',
    summary: `deployment ${n}`,
  };
}

/** A receiver that stores what it gets, optionally slowly or failing. */
class FakeAudit implements PavedRoadAuditService {
  received: AuditEventInput[] = [];
  failing = false;
  delayMs = 0;

  async record(event: AuditEventInput) {
    if (this.delayMs) {
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
    }
    if (this.failing) {
      throw new Error('paved-road answered 503 Service Unavailable');
    }
    this.received.push(event);
  }

  ids() {
    return this.received.map(e => e.id);
  }
}

describe('AuditOutbox', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    // A table of the caller's own, changed together with the event
    await knex.schema.createTable('settings', table => {
      table.string('name').primary();
      table.integer('replicas');
    });
    const audit = new FakeAudit();
    const logger = mockServices.logger.mock();
    const scheduler = mockServices.scheduler.mock();
    const outbox = await AuditOutbox.create({
      database: mockServices.database({ knex }),
      scheduler,
      logger,
      audit,
      pluginId: 'deployments',
    });
    return { knex, audit, logger, scheduler, outbox };
  }

  const databaseIds = databases.eachSupportedId();

  it.each(databaseIds)(
    'delivers nothing for a rolled back change (%s)',
    async databaseId => {
      const { knex, audit, outbox } = await setUp(databaseId);

      const outcome = await knex
        .transaction(async trx => {
          await trx('settings').insert({ name: 'orders', replicas: 3 });
          await outbox.enqueue(trx, makeEvent(1));
          throw new Error('the change failed');
        })
        .catch(e => e);

      expect(outcome.message).toBe('the change failed');
      expect(await knex('settings')).toEqual([]);
      expect(await outbox.pendingCount()).toBe(0);
      expect(await outbox.deliver()).toEqual({ delivered: 0, failed: 0 });
      expect(audit.received).toEqual([]);
    },
  );

  it.each(databaseIds)(
    'delivers a committed change once, oldest first, and forgets it (%s)',
    async databaseId => {
      const { knex, audit, outbox } = await setUp(databaseId);

      await knex.transaction(async trx => {
        await trx('settings').insert({ name: 'orders', replicas: 3 });
        await outbox.enqueue(trx, makeEvent(1));
      });
      await outbox.enqueue(knex, makeEvent(2));
      // The same event twice stays one event
      await outbox.enqueue(knex, makeEvent(2));
      expect(await outbox.pendingCount()).toBe(2);

      expect(await outbox.deliver()).toEqual({ delivered: 2, failed: 0 });
      expect(await outbox.deliver()).toEqual({ delivered: 0, failed: 0 });

      expect(audit.ids()).toEqual([makeEvent(1).id, makeEvent(2).id]);
      expect(await outbox.pendingCount()).toBe(0);
      // The time of the change, not of the delivery, and the schema's defaults
      expect(audit.received[0].occurredAt).toEqual(expect.any(String));
      expect(audit.received[0].details).toEqual({});
    },
  );

  it.each(databaseIds)(
    'keeps an event the receiver refused and retries it later (%s)',
    async databaseId => {
      const { knex, audit, logger, outbox } = await setUp(databaseId);
      await outbox.enqueue(knex, makeEvent(1));

      audit.failing = true;
      const before = Date.now();
      expect(await outbox.deliver()).toEqual({ delivered: 0, failed: 1 });

      const [row] = await knex('paved_road_audit_outbox');
      expect(row.attempts).toBe(1);
      expect(row.last_error).toContain('503');
      expect(Number(row.next_attempt_at)).toBeGreaterThan(before);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(`Audit event ${makeEvent(1).id} not delivered`),
      );
      // Not due yet: the backoff holds it back
      audit.failing = false;
      expect(await outbox.deliver()).toEqual({ delivered: 0, failed: 0 });

      await knex('paved_road_audit_outbox').update({ next_attempt_at: 0 });
      expect(await outbox.deliver()).toEqual({ delivered: 1, failed: 0 });
      expect(audit.ids()).toEqual([makeEvent(1).id]);
      expect(await outbox.pendingCount()).toBe(0);
    },
  );

  it.each(databaseIds)(
    'sends each event once for two concurrent deliveries in one process (%s)',
    async databaseId => {
      const { knex, audit, outbox } = await setUp(databaseId);
      for (let n = 1; n <= 5; n++) {
        await outbox.enqueue(knex, makeEvent(n));
      }
      audit.delayMs = 10;

      const results = await Promise.all([outbox.deliver(), outbox.deliver()]);

      expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(5);
      expect(audit.ids()).toEqual([1, 2, 3, 4, 5].map(n => makeEvent(n).id));
    },
  );

  async function twoReplicasDeliver(databaseId: TestDatabaseId) {
    const { knex, audit, outbox } = await setUp(databaseId);
    const replica = await AuditOutbox.create({
      database: mockServices.database({ knex }),
      scheduler: mockServices.scheduler.mock(),
      logger: mockServices.logger.mock(),
      audit,
      pluginId: 'deployments',
    });
    for (let n = 1; n <= 8; n++) {
      await outbox.enqueue(knex, makeEvent(n));
    }
    audit.delayMs = 10;
    await Promise.all([outbox.deliver(), replica.deliver()]);
    return {
      received: audit.ids(),
      pending: await outbox.pendingCount(),
      expected: [1, 2, 3, 4, 5, 6, 7, 8].map(n => makeEvent(n).id),
    };
  }

  it.each(databaseIds)(
    'two replicas deliver every event, duplicates allowed (%s)',
    async databaseId => {
      const { received, pending, expected } = await twoReplicasDeliver(
        databaseId,
      );
      expect(new Set(received)).toEqual(new Set(expected));
      expect(pending).toBe(0);
    },
  );

  const postgresIds = databaseIds.filter(([id]) => id.startsWith('POSTGRES'));
  // Only PostgreSQL has row locks to skip; without it the case is skipped.
  const describeRowLocks = postgresIds.length > 0 ? describe : describe.skip;
  describeRowLocks('with row locks', () => {
    it.each(postgresIds.length > 0 ? postgresIds : [['POSTGRES_15' as const]])(
      'two replicas on PostgreSQL send each event once (%s)',
      async databaseId => {
        // skip locked: a replica never sees the rows the other one claimed
        const { received, expected } = await twoReplicasDeliver(databaseId);
        expect([...received].sort()).toEqual(expected);
      },
    );
  });

  it.each(databaseIds)(
    'refuses an invalid event, so the change rolls back with it (%s)',
    async databaseId => {
      const { knex, outbox } = await setUp(databaseId);

      const error = await knex
        .transaction(async (trx: Knex.Transaction) => {
          await trx('settings').insert({ name: 'orders', replicas: 3 });
          await outbox.enqueue(trx, { ...makeEvent(1), summary: '' });
        })
        .catch(e => e);

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^Invalid audit event summary:/);
      expect(await knex('settings')).toEqual([]);
      expect(await outbox.pendingCount()).toBe(0);
    },
  );

  it('schedules a global delivery task named for the plugin', async () => {
    const { scheduler, outbox, audit, knex } = await setUp('SQLITE_3');
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'deployments-audit-outbox',
        scope: 'global',
        frequency: { seconds: 2 },
      }),
    );

    await outbox.enqueue(knex, makeEvent(1));
    const task = scheduler.scheduleTask.mock.calls[0][0];
    await task.fn(new AbortController().signal);
    expect(audit.ids()).toEqual([makeEvent(1).id]);
  });

  it('leaves the schema alone when migrations are skipped', async () => {
    const knex = await databases.init('SQLITE_3');
    await AuditOutbox.create({
      database: mockServices.database({ knex, migrations: { skip: true } }),
      scheduler: mockServices.scheduler.mock(),
      logger: mockServices.logger.mock(),
      audit: new FakeAudit(),
      pluginId: 'deployments',
    });
    expect(await knex.schema.hasTable('paved_road_audit_outbox')).toBe(false);
  });

  it.each(databaseIds)(
    'migrates under its own table, beside the caller migrations (%s)',
    async databaseId => {
      const { knex } = await setUp(databaseId);
      expect(
        await knex.schema.hasTable('paved_road_audit_outbox_migrations'),
      ).toBe(true);
      expect(await knex.schema.hasTable('knex_migrations')).toBe(false);
      await knex.migrate.rollback(
        {
          directory: `${__dirname}/../migrations`,
          tableName: 'paved_road_audit_outbox_migrations',
        },
        true,
      );
      expect(await knex.schema.hasTable('paved_road_audit_outbox')).toBe(false);
    },
  );
});
