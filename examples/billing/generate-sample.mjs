#!/usr/bin/env node
// Writes <outDir>/focus-sample.csv: a FinOps FOCUS 1.x billing export for the
// sample services, one row per resource per day for the last 60 days up to
// today (UTC), plus a few shared rows nobody is tagged on.
//
//   node examples/billing/generate-sample.mjs <outDir> [--today YYYY-MM-DD] [--days N]
//
// Amounts come from a PRNG seeded by day and resource, so a given day's rows
// are the same whenever the script runs: re-running it the next day only
// moves the window, and the costs backend re-ingests without surprises.
// No dependencies: plain Node 18+.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SERVICES = [
  {
    ref: 'component:default/orders-service',
    costCenter: 'CC-1001',
    resources: [
      { kind: 'compute', base: 42 },
      { kind: 'database', base: 18 },
      { kind: 'storage', base: 2.4 },
    ],
  },
  {
    ref: 'component:default/payment-gateway',
    costCenter: 'CC-1002',
    resources: [
      { kind: 'compute', base: 55 },
      { kind: 'database', base: 26 },
    ],
  },
  {
    ref: 'component:default/fleet-tracker',
    costCenter: 'CC-2001',
    resources: [
      { kind: 'compute', base: 31 },
      { kind: 'storage', base: 7.5 },
    ],
  },
  {
    ref: 'component:default/inventory-service',
    costCenter: 'CC-2002',
    resources: [
      { kind: 'compute', base: 24 },
      { kind: 'database', base: 14 },
      { kind: 'storage', base: 1.8 },
    ],
  },
];

const KINDS = {
  compute: { serviceName: 'Virtual Machines', resourceType: 'vm' },
  database: { serviceName: 'Managed PostgreSQL', resourceType: 'db' },
  storage: { serviceName: 'Object Storage', resourceType: 'bucket' },
};

// Charged to the platform, not to any one service: left untagged
const SHARED = [
  { id: 'shared/nat-gateway-eu-west-1', serviceName: 'Networking', base: 9 },
  { id: 'shared/log-archive', serviceName: 'Object Storage', base: 3.2 },
];

const COLUMNS = [
  'BilledCost',
  'EffectiveCost',
  'BillingCurrency',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'ChargeCategory',
  'ProviderName',
  'ServiceName',
  'ResourceId',
  'ResourceName',
  'RegionId',
  'SubAccountId',
  'Tags',
];

const SUB_ACCOUNT = 'sub-paved-road-prod';
const REGION = 'eu-west-1';

function usage(message) {
  console.error(message);
  console.error(
    'usage: node generate-sample.mjs <outDir> [--today YYYY-MM-DD] [--days N]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const options = { outDir: undefined, today: undefined, days: 60 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--today') {
      options.today = argv[++i];
    } else if (arg === '--days') {
      options.days = Number(argv[++i]);
    } else if (!options.outDir && !arg.startsWith('--')) {
      options.outDir = arg;
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  if (!options.outDir) {
    usage('missing <outDir>');
  }
  if (!Number.isInteger(options.days) || options.days < 1) {
    usage('--days must be a positive integer');
  }
  const today = options.today
    ? new Date(`${options.today}T00:00:00Z`)
    : new Date();
  if (Number.isNaN(today.getTime())) {
    usage('--today must be YYYY-MM-DD');
  }
  today.setUTCHours(0, 0, 0, 0);
  return { ...options, today };
}

// FNV-1a: a stable 32-bit seed from a string
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// mulberry32: small, fast, good enough for sample data
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function addDays(date, days) {
  return new Date(date.getTime() + days * 86_400_000);
}

// Day number the slow upward trend is measured from (2024-10-04)
const TREND_EPOCH_DAY = 20_000;

// Weekdays cost more for compute; everything creeps up slowly over time
function dailyAmount(base, kind, day, seedKey) {
  const rand = random(hash(`${seedKey}|${isoDay(day)}`));
  const weekday = day.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  const load = kind === 'compute' && weekend ? 0.7 : 1;
  const trend = 1 + (day.getTime() / 86_400_000 - TREND_EPOCH_DAY) * 0.0005;
  const noise = 0.85 + rand() * 0.3;
  return (base * load * trend * noise).toFixed(4);
}

function csvField(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(values) {
  return COLUMNS.map(c => csvField(values[c] ?? '')).join(',');
}

function chargeRow({
  day,
  amount,
  serviceName,
  resourceId,
  resourceName,
  tags,
}) {
  return row({
    BilledCost: amount,
    EffectiveCost: amount,
    BillingCurrency: 'EUR',
    ChargePeriodStart: `${isoDay(day)}T00:00:00Z`,
    ChargePeriodEnd: `${isoDay(addDays(day, 1))}T00:00:00Z`,
    ChargeCategory: 'Usage',
    ProviderName: 'Example Cloud',
    ServiceName: serviceName,
    ResourceId: resourceId,
    ResourceName: resourceName,
    RegionId: REGION,
    SubAccountId: SUB_ACCOUNT,
    Tags: JSON.stringify(tags),
  });
}

function generateRows({ today, days }) {
  const lines = [COLUMNS.join(',')];
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    const day = addDays(today, -offset);
    for (const service of SERVICES) {
      const name = service.ref.split('/')[1];
      for (const resource of service.resources) {
        const { serviceName, resourceType } = KINDS[resource.kind];
        const resourceName = `${name}-${resourceType}`;
        const resourceId = `/subscriptions/${SUB_ACCOUNT}/${resourceType}/${resourceName}`;
        lines.push(
          chargeRow({
            day,
            amount: dailyAmount(resource.base, resource.kind, day, resourceId),
            serviceName,
            resourceId,
            resourceName,
            tags: {
              'paved-road.io/service': service.ref,
              'paved-road.io/cost-center': service.costCenter,
              environment: 'production',
            },
          }),
        );
      }
    }
    for (const shared of SHARED) {
      lines.push(
        chargeRow({
          day,
          amount: dailyAmount(shared.base, 'shared', day, shared.id),
          serviceName: shared.serviceName,
          resourceId: `/subscriptions/${SUB_ACCOUNT}/${shared.id}`,
          resourceName: shared.id.split('/')[1],
          tags: {},
        }),
      );
    }
  }
  // CRLF, as RFC 4180 and most billing exports write it
  return `${lines.join('\r\n')}\r\n`;
}

function main() {
  const { outDir, today, days } = parseArgs(process.argv.slice(2));
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'focus-sample.csv');
  // Write then rename, so an ingester never reads half a file
  const partial = join(dir, '.focus-sample.csv.partial');
  writeFileSync(partial, generateRows({ today, days }));
  renameSync(partial, file);
  console.log(
    `Wrote ${file}: ${days} days up to ${isoDay(today)} for ${
      SERVICES.length
    } services`,
  );
}

main();
