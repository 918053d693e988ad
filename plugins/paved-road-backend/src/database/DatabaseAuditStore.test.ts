import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseAuditStore } from './DatabaseAuditStore';
import { NewAuditEvent } from './AuditStore';

jest.setTimeout(60_000);

function makeEvent(
  n: number,
  overrides: Partial<NewAuditEvent> = {},
): NewAuditEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    action: 'settings.changed',
    outcome: 'succeeded',
    actor: 'user:default/guest',
    occurredAt: '2026-12-01T10:00:00.000Z',
    entityRef: 'component:default/orders-service',
    owner: 'group:default/checkout',
    businessUnit: 'group:default/payments',
    costCenter: 'CC-1001',
    summary: `change ${n}`,
    details: { n },
    writer: 'plugin:deployments',
    ...overrides,
  };
}

describe('DatabaseAuditStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    return DatabaseAuditStore.create({
      database: mockServices.database({ knex }),
    });
  }

  it.each(databases.eachSupportedId())(
    'stores an event once and reports the stored one on a repeat (%s)',
    async databaseId => {
      const store = await createStore(databaseId);

      const first = await store.insert(makeEvent(1));
      expect(first.created).toBe(true);
      const { writer: _writer, ...stored } = makeEvent(1);
      expect(first.event).toEqual(stored);

      const again = await store.insert(makeEvent(1, { summary: 'changed' }));
      expect(again.created).toBe(false);
      // What is stored, not what was sent the second time
      expect(again.event).toEqual(stored);

      const { items } = await store.list({}, { limit: 10 });
      expect(items).toEqual([stored]);
    },
  );

  it.each(databases.eachSupportedId())(
    'filters by every field and by time (%s)',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.insert(makeEvent(1));
      await store.insert(
        makeEvent(2, {
          actor: 'user:default/admin',
          action: 'deployment.started',
          outcome: 'failed',
          occurredAt: '2026-12-02T10:00:00.000Z',
          entityRef: 'component:default/geo-utils',
          owner: 'group:default/fleet',
          businessUnit: 'group:default/logistics',
          costCenter: 'CC-2001',
        }),
      );
      await store.insert(
        makeEvent(3, {
          action: 'budget.changed',
          outcome: 'denied',
          occurredAt: '2026-12-03T10:00:00.000Z',
          entityRef: null,
          owner: null,
          businessUnit: null,
          costCenter: null,
        }),
      );
      const ids = async (filter: Parameters<typeof store.list>[0]) =>
        (await store.list(filter, { limit: 10 })).items.map(e => e.summary);

      expect(await ids({})).toEqual(['change 3', 'change 2', 'change 1']);
      expect(await ids({ entityRef: 'component:default/geo-utils' })).toEqual([
        'change 2',
      ]);
      expect(await ids({ actor: 'user:default/guest' })).toEqual([
        'change 3',
        'change 1',
      ]);
      expect(await ids({ businessUnit: 'group:default/payments' })).toEqual([
        'change 1',
      ]);
      expect(await ids({ costCenter: 'CC-2001' })).toEqual(['change 2']);
      expect(await ids({ action: 'budget.changed' })).toEqual(['change 3']);
      expect(await ids({ outcome: 'failed' })).toEqual(['change 2']);
      expect(
        await ids({
          from: new Date('2026-12-02T10:00:00.000Z'),
          to: new Date('2026-12-03T10:00:00.000Z'),
        }),
      ).toEqual(['change 2']);
    },
  );

  it.each(databases.eachSupportedId())(
    'pages newest first through equal timestamps without loss or repeats (%s)',
    async databaseId => {
      const store = await createStore(databaseId);
      // Seven events in the same millisecond, two older ones
      for (let n = 1; n <= 7; n++) {
        await store.insert(makeEvent(n));
      }
      await store.insert(
        makeEvent(8, { occurredAt: '2026-11-30T10:00:00.000Z' }),
      );
      await store.insert(
        makeEvent(9, { occurredAt: '2026-11-29T10:00:00.000Z' }),
      );

      const seen: string[] = [];
      let after;
      let pages = 0;
      do {
        const page = await store.list({}, { limit: 3, after });
        seen.push(...page.items.map(e => e.summary));
        after = page.next;
        pages += 1;
      } while (after);

      expect(pages).toBe(3);
      // Same time: id descending breaks the tie
      expect(seen).toEqual([
        'change 7',
        'change 6',
        'change 5',
        'change 4',
        'change 3',
        'change 2',
        'change 1',
        'change 8',
        'change 9',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the time to the millisecond and the details as JSON (%s)',
    async databaseId => {
      const store = await createStore(databaseId);
      await store.insert(
        makeEvent(1, {
          occurredAt: '2026-12-01T10:00:00.123Z',
          details: { before: { replicas: 2 }, after: { replicas: 3 } },
        }),
      );
      const [event] = (await store.list({}, { limit: 1 })).items;
      expect(event.occurredAt).toBe('2026-12-01T10:00:00.123Z');
      expect(event.details).toEqual({
        before: { replicas: 2 },
        after: { replicas: 3 },
      });
    },
  );
});
