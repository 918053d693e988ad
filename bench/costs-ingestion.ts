/*
 * Benchmark: ingesting a FOCUS billing export with the costs backend.
 *
 * Writes a 1,000,000-row FOCUS 1.2 CSV file (the columns AWS and Azure
 * exports carry, 1,000 services tagged, a tenth of the rows allocated by
 * resource id instead, a few untagged) to a temporary directory, then in
 * this process:
 *
 * 1. the floor: a bare csv-parse pass over the same file (parse and count,
 *    nothing else), the least any CSV ingestion can cost;
 * 2. the real ingestion (CostIngester: csv-parse, validation, allocation,
 *    row keys, batched inserts in one transaction) into SQLite (a file), and
 *    into PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 *    is set (a throw-away database, dropped afterwards).
 *
 * Prints rows per second by wall clock and by CPU time of this process (on
 * a shared machine the wall clock mostly measures the neighbours; CPU time
 * is what the work costs: PostgreSQL's own work runs in its server, so its
 * CPU figure leaves that out), each as a ratio against the floor, and peak
 * RSS and heap (sampled every 20 ms, above what the process held before).
 * The file is streamed, never held whole: the peak stays far below its size.
 *
 *   ./scripts/bench costs-ingestion [rows]
 */
import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { parse } from 'csv-parse';
import knexFactory, { Knex } from 'knex';
import { withScratchPostgres } from './scratchPostgres';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { DatabaseCostStore } from '../plugins/costs-backend/src/database/DatabaseCostStore';
import { Allocator } from '../plugins/costs-backend/src/ingestion/allocation';
import { CostIngester } from '../plugins/costs-backend/src/ingestion/CostIngester';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const SERVICES = 1_000;
const COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'EffectiveCost',
  'ListCost',
  'ProviderName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SubAccountId',
  'Tags',
];

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function writeFocusFile(file: string, rows: number): Promise<number> {
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\r\n`)) {
      await once(out, 'drain');
    }
  };
  await write(COLUMNS.join(','));
  const start = Date.UTC(2026, 9, 1);
  for (let i = 0; i < rows; i += 1) {
    const service = i % SERVICES;
    const day = new Date(start + (Math.floor(i / 2000) % 60) * 86_400_000);
    const next = new Date(day.getTime() + 86_400_000);
    const amount = (((i * 7919) % 100_000) / 1000 + 0.01).toFixed(6);
    // Every tenth row carries no service tag: allocated by resource id
    const tags =
      i % 10 === 0
        ? { 'paved-road.io/cost-center': `CC-${1000 + (service % 50)}` }
        : {
            'paved-road.io/service': `component:default/service-${service}`,
            'paved-road.io/cost-center': `CC-${1000 + (service % 50)}`,
            environment: 'production',
          };
    const values: Record<string, string> = {
      AvailabilityZone: 'eu-west-1a',
      BilledCost: amount,
      BillingAccountId: '123456789012',
      BillingCurrency: 'EUR',
      BillingPeriodStart: '2026-10-01T00:00:00Z',
      BillingPeriodEnd: '2026-12-01T00:00:00Z',
      ChargeCategory: 'Usage',
      ChargeDescription: `Compute for service-${service}`,
      ChargeFrequency: 'Usage-Based',
      ChargePeriodStart: day.toISOString().replace('.000', ''),
      ChargePeriodEnd: next.toISOString().replace('.000', ''),
      ConsumedQuantity: '24',
      ConsumedUnit: 'Hours',
      EffectiveCost: amount,
      ListCost: amount,
      ProviderName: 'Example Cloud',
      RegionId: 'eu-west-1',
      ResourceId: `arn:aws:ec2:eu-west-1:123456789012:instance/i-${service}-${
        i % 7
      }`,
      ResourceName: `service-${service}-vm-${i % 7}`,
      ResourceType: 'Virtual Machine',
      ServiceCategory: 'Compute',
      ServiceName: 'Virtual Machines',
      SkuId: 'SKU-VM-2',
      SubAccountId: 'sub-production',
      Tags: JSON.stringify(tags),
    };
    await write(COLUMNS.map(c => csvField(values[c])).join(','));
  }
  out.end();
  await once(out, 'finish');
  return (await fs.stat(file)).size;
}

/** Samples memory while `fn` runs; figures above what was held before. */
async function measured<T>(fn: () => Promise<T>): Promise<{
  result: T;
  seconds: number;
  cpuSeconds: number;
  rssMiB: number;
  heapMiB: number;
}> {
  global.gc?.();
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss);
    heap = Math.max(heap, now.heapUsed);
  }, 20);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  try {
    const result = await fn();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    return {
      result,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      rssMiB: (rss - before.rss) / 2 ** 20,
      heapMiB: (heap - before.heapUsed) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

async function parseOnly(file: string): Promise<number> {
  let records = 0;
  const parser = createReadStream(file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  for await (const _ of parser) {
    records += 1;
  }
  return records - 1;
}

// Warnings and errors only: an info line per file is noise here
const logger: LoggerService = {
  error: (message, meta) => console.error(message, meta ?? ''),
  warn: (message, meta) => console.warn(message, meta ?? ''),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

// The benchmark reads a local path; a URL source would be a bug here
const noUrlReader: UrlReaderService = {
  readUrl: async () => {
    throw new Error('not used');
  },
  readTree: async () => {
    throw new Error('not used');
  },
  search: async () => {
    throw new Error('not used');
  },
};

async function ingestInto(knex: Knex, dir: string): Promise<number> {
  const store = await DatabaseCostStore.create({
    database: { getClient: async () => knex },
  });
  // The catalog's resource ids, as CatalogResourceOwners would hold them
  const owners = new Map<string, { entityRef: string; costCenter: string }>();
  for (let s = 0; s < SERVICES; s += 1) {
    for (let r = 0; r < 7; r += 1) {
      owners.set(`arn:aws:ec2:eu-west-1:123456789012:instance/i-${s}-${r}`, {
        entityRef: `component:default/service-${s}`,
        costCenter: `CC-${1000 + (s % 50)}`,
      });
    }
  }
  const ingester = new CostIngester({
    store,
    logger,
    urlReader: noUrlReader,
    sources: [{ id: 'bench', type: 'focus-csv', path: dir }],
    costColumn: 'EffectiveCost',
    allocator: new Allocator(
      {
        service: 'paved-road.io/service',
        costCenter: 'paved-road.io/cost-center',
      },
      { find: id => owners.get(id.toLowerCase()) },
    ),
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
  const summary = await ingester.ingestAll();
  if (summary.ingested.length !== 1) {
    throw new Error(`ingestion did not succeed: ${JSON.stringify(summary)}`);
  }
  const [{ n }] = await knex('cost_line_items').count({ n: '*' });
  const [{ u }] = await knex('cost_line_items')
    .whereNull('entity_ref')
    .count({ u: '*' });
  if (Number(u) !== 0) {
    throw new Error(`${u} rows left unallocated`);
  }
  return Number(n);
}

function report(
  label: string,
  run: { seconds: number; cpuSeconds: number; rssMiB: number; heapMiB: number },
  floor: { seconds: number; cpuSeconds: number },
) {
  const rate = (seconds: number) =>
    Math.round(ROWS / seconds)
      .toLocaleString('en-US')
      .padStart(9);
  console.log(
    `${label.padEnd(22)} wall ${run.seconds.toFixed(1).padStart(6)} s ${rate(
      run.seconds,
    )} rows/s ${(run.seconds / floor.seconds)
      .toFixed(1)
      .padStart(5)}x floor | ` +
      `CPU ${run.cpuSeconds.toFixed(1).padStart(6)} s ${rate(
        run.cpuSeconds,
      )} rows/s ${(run.cpuSeconds / floor.cpuSeconds)
        .toFixed(1)
        .padStart(5)}x floor | ` +
      `peak +${run.rssMiB.toFixed(0)} MiB RSS, +${run.heapMiB.toFixed(
        0,
      )} MiB heap`,
  );
}

async function main() {
  const dir = await fs.mkdtemp(join(tmpdir(), 'costs-ingestion-bench-'));
  const knexes: Knex[] = [];
  try {
    const exportDir = join(dir, 'exports');
    await fs.mkdir(exportDir);
    const file = join(exportDir, 'focus.csv');
    const size = await writeFocusFile(file, ROWS);
    console.log(
      `FOCUS file: ${ROWS.toLocaleString('en-US')} rows, ${
        COLUMNS.length
      } columns, ${(size / 2 ** 20).toFixed(0)} MiB (Node ${process.version})`,
    );

    const floor = await measured(() => parseOnly(file));
    if (floor.result !== ROWS) {
      throw new Error(`parse-only pass read ${floor.result} rows`);
    }
    report('csv-parse only (floor)', floor, floor);

    const sqlite = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'costs.sqlite') },
      useNullAsDefault: true,
    });
    knexes.push(sqlite);
    const sqliteRun = await measured(() => ingestInto(sqlite, exportDir));
    if (sqliteRun.result !== ROWS) {
      throw new Error(`SQLite holds ${sqliteRun.result} rows`);
    }
    report('ingest, SQLite', sqliteRun, floor);

    await withScratchPostgres('costs_bench', async pg => {
      const pgRun = await measured(() => ingestInto(pg, exportDir));
      if (pgRun.result !== ROWS) {
        throw new Error(`PostgreSQL holds ${pgRun.result} rows`);
      }
      report('ingest, PostgreSQL 15', pgRun, floor);
    });
  } finally {
    for (const k of knexes.reverse()) {
      await k.destroy();
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
