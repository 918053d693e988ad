import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { CostLineItem, FileOutcome } from './CostStore';
import { DatabaseCostStore } from './DatabaseCostStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const ORDERS = 'component:default/orders-service';
const PAYMENTS = 'component:default/payment-gateway';

function outcome(
  fileSha256: string,
  rejected: FileOutcome['rejected'] = [],
): () => FileOutcome {
  return () => ({
    fileSha256,
    etag: null,
    rejectedCount: rejected.length,
    rejected,
  });
}

function item(
  overrides: Partial<CostLineItem> & { rowKey: string },
): CostLineItem {
  return {
    chargeDate: '2026-11-01',
    entityRef: ORDERS,
    costCenter: 'CC-1001',
    chargeCategory: 'Usage',
    serviceName: 'Virtual Machines',
    resourceId: 'vm-1',
    amount: '1',
    currency: 'EUR',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseCostStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseCostStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseCostStore.create({
        database: mockServices.database({ knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('sums an entity per day in SQL, exactly', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        outcome: outcome('a'),
        items: [
          item({ rowKey: 'k1', amount: '0.1' }),
          item({ rowKey: 'k2', amount: '0.2' }),
          item({
            rowKey: 'k3',
            amount: '123456789.123456',
            chargeDate: '2026-11-03',
          }),
          item({ rowKey: 'k4', amount: '-0.05', chargeDate: '2026-11-03' }),
          item({ rowKey: 'k5', amount: '9', entityRef: PAYMENTS }),
          item({ rowKey: 'k6', amount: '7', entityRef: null }),
          item({ rowKey: 'k7', amount: '5', chargeDate: '2026-10-31' }),
        ],
      });

      const sums = await store.getDailyCosts({
        entityRef: ORDERS,
        from: '2026-11-01',
        to: '2026-11-30',
      });
      expect(
        sums.map(s => ({ ...s, amount: Number(s.amount.toFixed(6)) })),
      ).toEqual([
        { date: '2026-11-01', currency: 'EUR', amount: 0.3 },
        { date: '2026-11-03', currency: 'EUR', amount: 123456789.073456 },
      ]);
    });

    it('keeps currencies apart', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        outcome: outcome('a'),
        items: [
          item({ rowKey: 'k1', amount: '2', currency: 'EUR' }),
          item({ rowKey: 'k2', amount: '3', currency: 'USD' }),
        ],
      });
      expect(
        await store.getDailyCosts({
          entityRef: ORDERS,
          from: '2026-11-01',
          to: '2026-11-01',
        }),
      ).toEqual([
        { date: '2026-11-01', currency: 'EUR', amount: 2 },
        { date: '2026-11-01', currency: 'USD', amount: 3 },
      ]);
    });

    it('replaces a file on re-ingest instead of adding it again', async () => {
      const first = [
        item({ rowKey: 'k1', amount: '4' }),
        item({ rowKey: 'k2', amount: '6' }),
      ];
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: first,
        outcome: outcome('a'),
      });
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: first,
        outcome: outcome('a'),
      });

      const range = { entityRef: ORDERS, from: '2026-11-01', to: '2026-11-01' };
      expect(await store.getDailyCosts(range)).toEqual([
        { date: '2026-11-01', currency: 'EUR', amount: 10 },
      ]);

      // A corrected export: one row changed, one gone
      const { rowCount } = await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: [item({ rowKey: 'k3', amount: '5' })],
        outcome: outcome('b'),
      });
      expect(rowCount).toBe(1);
      expect(await store.getDailyCosts(range)).toEqual([
        { date: '2026-11-01', currency: 'EUR', amount: 5 },
      ]);
      expect(
        await store.getIngestedFile({ sourceId: 'aws', filePath: 'nov.csv' }),
      ).toEqual({
        sourceId: 'aws',
        filePath: 'nov.csv',
        fileSha256: 'b',
        etag: null,
        status: 'ingested',
        rowCount: 1,
        rejectedCount: 0,
        rejected: [],
        ingestedAt: expect.any(Date),
        checkedAt: undefined,
      });
      expect(
        Number((await knex('cost_ingestions').count({ n: '*' }))[0].n),
      ).toBe(1);
    });

    it('leaves the previous rows untouched when reading a file fails midway', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: [item({ rowKey: 'k1', amount: '4' })],
        outcome: outcome('a'),
      });

      // More rows than one insert batch, then a failure, like a bad last row
      async function* failing() {
        for (let i = 0; i < 1200; i += 1) {
          yield item({ rowKey: `new-${i}`, amount: '1' });
        }
        throw new Error('line 1202: bad amount');
      }
      await expect(
        store.replaceFile({
          sourceId: 'aws',
          filePath: 'nov.csv',
          items: failing(),
          outcome: outcome('b'),
        }),
      ).rejects.toThrow('line 1202: bad amount');

      expect(
        await store.getDailyCosts({
          entityRef: ORDERS,
          from: '2026-11-01',
          to: '2026-11-01',
        }),
      ).toEqual([{ date: '2026-11-01', currency: 'EUR', amount: 4 }]);
      expect(
        await store.getIngestedFile({ sourceId: 'aws', filePath: 'nov.csv' }),
      ).toMatchObject({
        fileSha256: 'a',
        rowCount: 1,
      });
    });

    it('stores a charge delivered in two files of a source once', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'a.csv',
        items: [item({ rowKey: 'same', amount: '3' })],
        outcome: outcome('a'),
      });
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'b.csv',
        outcome: outcome('b'),
        items: [
          item({ rowKey: 'same', amount: '3' }),
          item({ rowKey: 'other', amount: '1' }),
        ],
      });
      // ...but a second source is billed separately
      await store.replaceFile({
        sourceId: 'azure',
        filePath: 'a.csv',
        items: [item({ rowKey: 'same', amount: '3' })],
        outcome: outcome('a'),
      });
      expect(
        await store.getDailyCosts({
          entityRef: ORDERS,
          from: '2026-11-01',
          to: '2026-11-01',
        }),
      ).toEqual([{ date: '2026-11-01', currency: 'EUR', amount: 7 }]);
    });

    it('tells when data last changed', async () => {
      expect(await store.getLastIngestedAt()).toBeUndefined();
      const before = Date.now();
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'a.csv',
        items: [],
        outcome: outcome('a'),
      });
      const last = await store.getLastIngestedAt();
      expect(last).toBeInstanceOf(Date);
      // second precision on some databases
      expect(last!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(last!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('records a rejected version without touching the rows of the one before', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: [item({ rowKey: 'k1', amount: '4' })],
        outcome: outcome('a', [{ line: 7, reason: 'bad' }]),
      });
      const ingestedAt = await store.getLastIngestedAt();
      await store.recordRejectedFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        outcome: {
          fileSha256: 'b',
          etag: 'W/"2"',
          rejectedCount: 1,
          rejected: [{ line: 3, reason: 'two currencies' }],
        },
      });
      await store.recordRejectedFile({
        sourceId: 'aws',
        filePath: 'new.csv',
        outcome: outcome('c', [{ line: 1, reason: 'no header' }])(),
      });

      expect(await store.listIngestedFiles()).toEqual([
        expect.objectContaining({
          filePath: 'new.csv',
          status: 'rejected',
          rowCount: 0,
          rejected: [{ line: 1, reason: 'no header' }],
        }),
        expect.objectContaining({
          filePath: 'nov.csv',
          fileSha256: 'b',
          etag: 'W/"2"',
          status: 'rejected',
          rowCount: 1,
          ingestedAt,
          checkedAt: expect.any(Date),
          rejectedCount: 1,
          rejected: [{ line: 3, reason: 'two currencies' }],
        }),
      ]);
      expect(
        await store.getDailyCosts({
          entityRef: ORDERS,
          from: '2026-11-01',
          to: '2026-11-01',
        }),
      ).toEqual([{ date: '2026-11-01', currency: 'EUR', amount: 4 }]);
      // A rejection is no new data
      expect(await store.getLastIngestedAt()).toEqual(ingestedAt);
    });

    it('marks a file seen unchanged', async () => {
      await store.replaceFile({
        sourceId: 'aws',
        filePath: 'nov.csv',
        items: [],
        outcome: outcome('a'),
      });
      await store.markUnchanged({ sourceId: 'aws', filePath: 'nov.csv' });
      const [file] = await store.listIngestedFiles();
      expect(file.checkedAt).toBeInstanceOf(Date);
      expect(file.status).toBe('ingested');
    });

    it('does not migrate when migrations are skipped', async () => {
      const fresh = await databases.init(databaseId);
      await DatabaseCostStore.create({
        database: { getClient: async () => fresh, migrations: { skip: true } },
      });
      expect(await fresh.schema.hasTable('cost_line_items')).toBe(false);
      await fresh.destroy();
    });
  },
);
