import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { gzipSync } from 'node:zlib';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { CostIngester } from './CostIngester';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const HEADER = 'BilledCost,BillingCurrency,ChargePeriodStart,Tags';
const ORDERS = 'component:default/orders-service';
const ORDERS_TAGS = '"{""paved-road.io/service"":""orders-service""}"';

function bill(...amounts: string[]): string {
  return [
    HEADER,
    ...amounts.map(a => `${a},EUR,2026-11-01T00:00:00Z,${ORDERS_TAGS}`),
  ].join('\r\n');
}

describe.each(databases.eachSupportedId())('CostIngester (%s)', databaseId => {
  const mockDir = createMockDirectory();
  let knex: Knex;
  let store: DatabaseCostStore;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  beforeEach(async () => {
    mockDir.clear();
    knex = await databases.init(databaseId);
    store = await DatabaseCostStore.create({
      database: mockServices.database({ knex }),
    });
    logger = mockServices.logger.mock();
  });

  afterEach(async () => {
    await knex.destroy();
  });

  function ingester(path = mockDir.path) {
    return new CostIngester({
      store,
      logger,
      sources: [{ id: 'aws', type: 'focus-csv', path }],
    });
  }

  async function ordersTotal() {
    const sums = await store.getDailyCosts({
      entityRef: ORDERS,
      from: '2026-11-01',
      to: '2026-11-01',
    });
    return sums.reduce((acc, s) => acc + s.amount, 0);
  }

  it('ingests CSV and gzipped CSV files below the source directory', async () => {
    mockDir.setContent({
      'a.csv': bill('1', '2'),
      '2026-11/b.csv.gz': gzipSync(bill('4')),
      'notes.txt': 'not billing data',
      '.partial.csv': bill('1000'),
    });

    const summary = await ingester().ingestAll();

    expect(summary).toEqual({
      ingested: ['aws:2026-11/b.csv.gz', 'aws:a.csv'],
      skipped: [],
      rejected: [],
    });
    expect(await ordersTotal()).toBe(7);
  });

  it('skips unchanged files and replaces changed ones', async () => {
    mockDir.setContent({ 'a.csv': bill('1', '2'), 'b.csv': bill('4') });
    await ingester().ingestAll();
    const replaceFile = jest.spyOn(store, 'replaceFile');

    const unchanged = await ingester().ingestAll();
    expect(unchanged.skipped).toEqual(['aws:a.csv', 'aws:b.csv']);
    expect(replaceFile).not.toHaveBeenCalled();

    mockDir.addContent({ 'a.csv': bill('10') });
    const changed = await ingester().ingestAll();
    expect(changed).toEqual({
      ingested: ['aws:a.csv'],
      skipped: ['aws:b.csv'],
      rejected: [],
    });
    expect(await ordersTotal()).toBe(14);
  });

  it('rejects a bad file whole, keeping what was there and ingesting the rest', async () => {
    mockDir.setContent({ 'a.csv': bill('1'), 'b.csv': bill('2') });
    await ingester().ingestAll();

    mockDir.addContent({
      'a.csv': bill('100', 'not-a-number', '100'),
      'c.csv': bill('5', '2026-13-45'),
      'd.csv': bill('3'),
    });
    const summary = await ingester().ingestAll();

    expect(summary).toEqual({
      ingested: ['aws:d.csv'],
      skipped: ['aws:b.csv'],
      rejected: ['aws:a.csv', 'aws:c.csv'],
    });
    // a.csv keeps its previous row, c.csv wrote nothing
    expect(await ordersTotal()).toBe(1 + 2 + 3);
    expect(
      await store.getIngestedFile({ sourceId: 'aws', filePath: 'c.csv' }),
    ).toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      'Cost file aws:a.csv was not ingested',
      expect.objectContaining({
        message: expect.stringContaining(
          "line 3: BilledCost 'not-a-number' is not an amount",
        ),
      }),
    );
  });

  it('reads a source that is a single file', async () => {
    mockDir.setContent({ 'export.csv': bill('8') });
    const summary = await ingester(mockDir.resolve('export.csv')).ingestAll();
    expect(summary.ingested).toEqual(['aws:export.csv']);
    expect(await ordersTotal()).toBe(8);
  });

  it('logs a source it cannot read and goes on with the next', async () => {
    mockDir.setContent({ 'a.csv': bill('3') });
    const summary = await new CostIngester({
      store,
      logger,
      sources: [
        { id: 'gone', type: 'focus-csv', path: mockDir.resolve('missing') },
        { id: 'aws', type: 'focus-csv', path: mockDir.path },
      ],
    }).ingestAll();

    expect(summary.ingested).toEqual(['aws:a.csv']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining("Cost source 'gone' cannot be read"),
      expect.any(Error),
    );
  });

  it('stops between files once aborted', async () => {
    mockDir.setContent({ 'a.csv': bill('1') });
    const controller = new AbortController();
    controller.abort();
    const summary = await ingester().ingestAll(controller.signal);
    expect(summary.ingested).toEqual([]);
  });
});
