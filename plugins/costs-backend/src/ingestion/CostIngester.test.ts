import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { Allocator, noResourceOwners, ResourceOwnerLookup } from './allocation';
import { CostSource } from './config';
import { CostIngester } from './CostIngester';
import { InMemoryUrlReader } from './__testUtils__/InMemoryUrlReader';
import { FOCUS_1_3_COLUMNS, focusFile } from './__testUtils__/focusFiles';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const HEADER = 'EffectiveCost,BillingCurrency,ChargePeriodStart,Tags';
const ORDERS = 'component:default/orders-service';
const ORDERS_TAGS = '"{""paved-road.io/service"":""orders-service""}"';
const TAGS = {
  service: 'paved-road.io/service',
  costCenter: 'paved-road.io/cost-center',
};

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
  let urlReader: InMemoryUrlReader;

  beforeEach(async () => {
    mockDir.clear();
    knex = await databases.init(databaseId);
    store = await DatabaseCostStore.create({
      database: mockServices.database({ knex }),
    });
    logger = mockServices.logger.mock();
    urlReader = new InMemoryUrlReader();
  });

  afterEach(async () => {
    await knex.destroy();
  });

  function ingester(
    sources: CostSource[] = [
      { id: 'aws', type: 'focus-csv', path: mockDir.path },
    ],
    owners: ResourceOwnerLookup & {
      refresh?(): Promise<void>;
    } = noResourceOwners,
  ) {
    return new CostIngester({
      store,
      logger,
      urlReader,
      sources,
      costColumn: 'EffectiveCost',
      allocator: new Allocator(TAGS, owners),
      resourceOwners: owners.refresh ? { refresh: owners.refresh } : undefined,
      now: () => new Date('2026-11-22T00:00:00Z'),
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

  async function statusOf(filePath: string, sourceId = 'aws') {
    return store.getIngestedFile({ sourceId, filePath });
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
      unchanged: [],
      rejected: [],
      failed: [],
    });
    expect(await ordersTotal()).toBe(7);
  });

  it('skips unchanged files and replaces a corrected one', async () => {
    mockDir.setContent({ 'a.csv': bill('1', '2'), 'b.csv': bill('4') });
    await ingester().ingestAll();
    const replaceFile = jest.spyOn(store, 'replaceFile');

    const unchanged = await ingester().ingestAll();
    expect(unchanged.unchanged).toEqual(['aws:a.csv', 'aws:b.csv']);
    expect(replaceFile).not.toHaveBeenCalled();
    expect((await statusOf('a.csv'))?.checkedAt).toBeInstanceOf(Date);

    mockDir.addContent({ 'a.csv': bill('10') });
    const changed = await ingester().ingestAll();
    expect(changed).toEqual({
      ingested: ['aws:a.csv'],
      unchanged: ['aws:b.csv'],
      rejected: [],
      failed: [],
    });
    expect(await ordersTotal()).toBe(14);
    expect(await statusOf('a.csv')).toMatchObject({
      status: 'ingested',
      rowCount: 1,
      checkedAt: undefined,
    });
  });

  it('is idempotent: the same rows ingested again are stored once', async () => {
    mockDir.setContent({ 'a.csv': bill('1', '2', '2') });
    await ingester().ingestAll();
    // Same rows, different bytes: the file is read again
    mockDir.addContent({ 'a.csv': `${bill('1', '2', '2')}\r\n` });
    const summary = await ingester().ingestAll();

    expect(summary.ingested).toEqual(['aws:a.csv']);
    expect(await ordersTotal()).toBe(5);
    expect(Number((await knex('cost_line_items').count({ n: '*' }))[0].n)).toBe(
      3,
    );
  });

  it('ingests the good rows of a file and lists the bad ones by line', async () => {
    mockDir.setContent({ 'a.csv': bill('1', 'not-a-number', '2', 'NaN') });
    const summary = await ingester().ingestAll();

    expect(summary.ingested).toEqual(['aws:a.csv']);
    expect(await ordersTotal()).toBe(3);
    expect(await statusOf('a.csv')).toMatchObject({
      status: 'ingested',
      rowCount: 2,
      rejectedCount: 2,
      rejected: [
        { line: 3, reason: "EffectiveCost 'not-a-number' is not a number" },
        { line: 5, reason: "EffectiveCost 'NaN' is not a number" },
      ],
    });
  });

  it('rejects a file with two currencies whole, keeping the version before', async () => {
    mockDir.setContent({ 'a.csv': bill('1'), 'b.csv': bill('2') });
    await ingester().ingestAll();

    mockDir.addContent({
      'a.csv': `${bill('100', '100')}\r\n5,USD,2026-11-01T00:00:00Z,{}`,
      'c.csv': 'Cost,Currency\r\n5,EUR',
    });
    const summary = await ingester().ingestAll();

    expect(summary).toEqual({
      ingested: [],
      unchanged: ['aws:b.csv'],
      rejected: ['aws:a.csv', 'aws:c.csv'],
      failed: [],
    });
    expect(await ordersTotal()).toBe(1 + 2);
    expect(await statusOf('a.csv')).toMatchObject({
      status: 'rejected',
      rowCount: 1,
      rejected: [
        {
          line: 4,
          reason:
            'BillingCurrency USD differs from EUR on line 2; a file holds one currency',
        },
      ],
    });
    expect(await statusOf('c.csv')).toMatchObject({
      status: 'rejected',
      rowCount: 0,
    });

    // A rejected file is not read again until it changes
    const replaceFile = jest.spyOn(store, 'replaceFile');
    const again = await ingester().ingestAll();
    expect(again.unchanged).toEqual(['aws:a.csv', 'aws:b.csv', 'aws:c.csv']);
    expect(replaceFile).not.toHaveBeenCalled();
    expect((await statusOf('a.csv'))?.status).toBe('rejected');
  });

  it('leaves the previous version in place when reading fails midway', async () => {
    mockDir.setContent({ 'a.csv.gz': gzipSync(bill('1')) });
    await ingester().ingestAll();

    // A truncated upload: the gzip stream ends early
    const gz = gzipSync(bill(...Array.from({ length: 2000 }, () => '5')));
    mockDir.addContent({ 'a.csv.gz': gz.subarray(0, gz.length - 200) });
    const summary = await ingester().ingestAll();

    expect(summary.failed).toEqual(['aws:a.csv.gz']);
    expect(await ordersTotal()).toBe(1);
    expect(await statusOf('a.csv.gz')).toMatchObject({
      status: 'ingested',
      rowCount: 1,
    });
    expect(logger.error).toHaveBeenCalledWith(
      'Cost file aws:a.csv.gz could not be read',
      expect.any(Error),
    );
  });

  it('allocates by resource id, and keeps the cost center of rows it cannot allocate', async () => {
    const refresh = jest.fn(async () => {});
    const owners = {
      refresh,
      find: (id: string) =>
        id === 'arn:aws:ec2:eu-west-1:1:instance/i-1'
          ? { entityRef: ORDERS, costCenter: 'CC-1001' }
          : undefined,
    };
    mockDir.setContent({
      'focus.csv': focusFile(FOCUS_1_3_COLUMNS, [
        {
          ResourceId: 'arn:aws:ec2:eu-west-1:1:instance/i-1',
          EffectiveCost: '3',
        },
        {
          ResourceId: 'arn:aws:s3:::shared',
          EffectiveCost: '4',
          Tags: '{"paved-road.io/cost-center":"CC-2001"}',
        },
        { ResourceId: 'arn:aws:s3:::nobody', EffectiveCost: '5' },
      ]),
    });

    await ingester(undefined, owners).ingestAll();

    expect(refresh).toHaveBeenCalledTimes(1);
    const rows = await knex('cost_line_items')
      .select('entity_ref', 'cost_center', 'amount')
      .orderBy('resource_id');
    expect(
      rows.map(r => [r.entity_ref, r.cost_center, Number(r.amount)]),
    ).toEqual([
      [ORDERS, 'CC-1001', 3],
      [null, null, 5],
      [null, 'CC-2001', 4],
    ]);
  });

  it('reads one file through the UrlReaderService, skipping it while its etag holds', async () => {
    const url = 'https://billing.s3.eu-west-1.amazonaws.com/focus/nov.csv.gz';
    urlReader.set(url, gzipSync(bill('1', '2')));
    const sources: CostSource[] = [{ id: 's3', type: 'focus-csv', url }];

    expect((await ingester(sources).ingestAll()).ingested).toEqual([
      `s3:${url}`,
    ]);
    expect(await ordersTotal()).toBe(3);
    expect(await statusOf(url, 's3')).toMatchObject({
      etag: expect.stringMatching(/^".+"$/),
      fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    expect((await ingester(sources).ingestAll()).unchanged).toEqual([
      `s3:${url}`,
    ]);
    expect(urlReader.reads).toEqual([url]);

    urlReader.set(url, gzipSync(bill('7')));
    expect((await ingester(sources).ingestAll()).ingested).toEqual([
      `s3:${url}`,
    ]);
    expect(await ordersTotal()).toBe(7);
  });

  it('lists files with a glob through search and reads each one', async () => {
    const base = 'https://storage.cloud.google.com/billing/focus';
    urlReader.set(`${base}/2026-10.csv`, bill('1'));
    urlReader.set(`${base}/2026-11.csv.gz`, gzipSync(bill('2')));
    urlReader.set(`${base}/manifest.json`, '{}');
    urlReader.set(
      'https://storage.cloud.google.com/billing/other.csv',
      bill('100'),
    );

    const summary = await ingester([
      { id: 'gcs', type: 'focus-csv', url: `${base}/*` },
    ]).ingestAll();

    expect(summary.ingested).toEqual([
      `gcs:${base}/2026-10.csv`,
      `gcs:${base}/2026-11.csv.gz`,
    ]);
    expect(await ordersTotal()).toBe(3);
  });

  it('reads a directory URL with readTree and removes what it extracted', async () => {
    const base = 'https://github.com/acme/billing/tree/main/exports';
    urlReader.set(`${base}/nov.csv`, bill('1'));
    urlReader.set(`${base}/2026/dec.csv.gz`, gzipSync(bill('2')));
    urlReader.set(`${base}/.draft.csv`, bill('100'));
    const sources: CostSource[] = [{ id: 'gh', type: 'focus-csv', url: base }];

    const summary = await ingester(sources).ingestAll();

    expect(summary.ingested).toEqual([
      `gh:${base}/2026/dec.csv.gz`,
      `gh:${base}/nov.csv`,
    ]);
    expect(await ordersTotal()).toBe(3);
    expect(urlReader.treeDirs).toHaveLength(1);
    expect(fs.existsSync(urlReader.treeDirs[0])).toBe(false);
    expect((await ingester(sources).ingestAll()).unchanged).toHaveLength(2);
  });

  it('reads a source that is a single local file', async () => {
    mockDir.setContent({ 'export.csv': bill('8') });
    const summary = await ingester([
      { id: 'aws', type: 'focus-csv', path: mockDir.resolve('export.csv') },
    ]).ingestAll();
    expect(summary.ingested).toEqual(['aws:export.csv']);
    expect(await ordersTotal()).toBe(8);
  });

  it('logs a source it cannot read and goes on with the next', async () => {
    mockDir.setContent({ 'a.csv': bill('3') });
    const summary = await ingester([
      { id: 'gone', type: 'focus-csv', path: mockDir.resolve('missing') },
      { id: 'aws', type: 'focus-csv', path: mockDir.path },
    ]).ingestAll();

    expect(summary.ingested).toEqual(['aws:a.csv']);
    expect(summary.failed).toEqual(['gone:']);
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
