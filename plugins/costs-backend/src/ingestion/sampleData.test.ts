import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { Allocator, noResourceOwners } from './allocation';
import { DEFAULT_COST_CENTER_TAG, DEFAULT_SERVICE_TAG } from './config';
import { CostIngester } from './CostIngester';

jest.setTimeout(60_000);

const script = path.resolve(
  __dirname,
  '../../../../examples/billing/generate-sample.mjs',
);

const SAMPLE_SERVICES = [
  'component:default/orders-service',
  'component:default/payment-gateway',
  'component:default/fleet-tracker',
  'component:default/inventory-service',
];

async function generate(outDir: string, ...args: string[]) {
  await promisify(execFile)(process.execPath, [script, outDir, ...args]);
  return fs.readFile(path.join(outDir, 'focus-sample.csv'), 'utf8');
}

describe('examples/billing/generate-sample.mjs', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const mockDir = createMockDirectory();

  beforeEach(() => mockDir.clear());

  it('writes 60 days of FOCUS data the backend ingests cleanly', async () => {
    await generate(mockDir.resolve('billing'), '--today', '2026-11-22');

    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseCostStore.create({
      database: mockServices.database({ knex }),
    });
    const logger = mockServices.logger.mock();
    const summary = await new CostIngester({
      store,
      logger,
      urlReader: mockServices.urlReader.mock(),
      sources: [
        { id: 'sample', type: 'focus-csv', path: mockDir.resolve('billing') },
      ],
      costColumn: 'EffectiveCost',
      allocator: new Allocator(
        {
          service: DEFAULT_SERVICE_TAG,
          costCenter: DEFAULT_COST_CENTER_TAG,
        },
        noResourceOwners,
      ),
      now: () => new Date('2026-11-22T12:00:00Z'),
    }).ingestAll();

    expect(summary).toEqual({
      ingested: ['sample:focus-sample.csv'],
      unchanged: [],
      rejected: [],
      failed: [],
    });
    // No row rejected, none left unallocated by a malformed tag
    expect(logger.warn).not.toHaveBeenCalled();
    expect(
      await store.getIngestedFile({
        sourceId: 'sample',
        filePath: 'focus-sample.csv',
      }),
    ).toMatchObject({ status: 'ingested', rowCount: 720, rejectedCount: 0 });

    for (const entityRef of SAMPLE_SERVICES) {
      const sums = await store.getDailyCosts({
        entityRef,
        from: '2026-01-01',
        to: '2026-12-31',
      });
      expect(sums).toHaveLength(60);
      expect(sums[0].date).toBe('2026-09-24');
      expect(sums[59].date).toBe('2026-11-22');
      for (const sum of sums) {
        expect(sum.currency).toBe('EUR');
        expect(sum.amount).toBeGreaterThan(1);
        expect(sum.amount).toBeLessThan(500);
      }
    }
    // The shared rows are stored but belong to nobody
    const unallocated = await knex('cost_line_items')
      .whereNull('entity_ref')
      .count({ n: '*' });
    expect(Number(unallocated[0].n)).toBe(120);
    await knex.destroy();
  });

  it('is deterministic for a given day, and keeps past days stable', async () => {
    const first = await generate(mockDir.resolve('a'), '--today', '2026-11-22');
    const again = await generate(mockDir.resolve('b'), '--today', '2026-11-22');
    const nextDay = await generate(
      mockDir.resolve('c'),
      '--today',
      '2026-11-23',
    );

    expect(again).toBe(first);
    const rowsOf = (csv: string, day: string) =>
      csv.split('\r\n').filter(line => line.includes(`,EUR,${day}T`));
    // 10 resources of the sample services and 2 shared rows a day
    expect(rowsOf(first, '2026-11-22')).toHaveLength(12);
    expect(rowsOf(nextDay, '2026-11-22')).toEqual(rowsOf(first, '2026-11-22'));
    expect(rowsOf(nextDay, '2026-09-24')).toEqual([]);
  });

  it('defaults to today (UTC)', async () => {
    const csv = await generate(mockDir.resolve('today'));
    const today = new Date().toISOString().slice(0, 10);
    expect(csv).toContain(`,EUR,${today}T00:00:00Z,`);
  });
});
