/*
 * Benchmark: the Paved Road ownership processor in the real catalog engine.
 *
 * 10,000 components owned by 200 teams under 10 business units, processed by
 * the stock catalog backend on SQLite, once without and once with
 * catalogModulePavedRoad per round, in this same process. Prints throughput
 * of both and their ratio (target >= 0.98), then the processor's own time per
 * entity (target p99 < 50 µs).
 *
 * Both runs of a round do the same work: a fresh in-memory database each, the
 * same files, every entity processed once (see PROCESSING_INTERVAL), a full
 * GC before each run, and the order alternates between rounds after an
 * untimed warm-up of both.
 *
 *   ./scripts/bench catalog-processing [components] [teams] [rounds]
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { Entity } from '@backstage/catalog-model';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { stringify } from 'yaml';
import catalogModulePavedRoad from '../plugins/catalog-backend-module-paved-road/src';
import { PavedRoadOwnershipProcessor } from '../plugins/catalog-backend-module-paved-road/src/processor/PavedRoadOwnershipProcessor';
import { indexGroups } from '../plugins/paved-road-common/src';

const COMPONENTS = Number(process.argv[2] ?? 10_000);
const TEAMS = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 3);
const BUSINESS_UNITS = 10;
const WARM_UP_COMPONENTS = Math.min(COMPONENTS, 1000);
// The catalog re-processes every entity 100-150 s after its last processing by
// default, and a registered location's second processing re-queues all of its
// entities. A 10,000-component run takes about that long here, so a run that
// passes ~100 s processed every component twice while a slightly faster one
// did not: the measured work, not the module, decided the ratio. Far beyond
// any run, so each entity is processed exactly once in both.
const PROCESSING_INTERVAL = { minutes: 30 };

// Both runs start from the same heap, not one carrying the previous run's
// garbage.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function makeOrg(): Entity[] {
  const org: Entity[] = [];
  for (let b = 0; b < BUSINESS_UNITS; b++) {
    org.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: `bu-${b}`,
        annotations: {
          'paved-road.io/cost-centers': `CC-${1000 + b * 10},CC-${
            1001 + b * 10
          }`,
        },
      },
      spec: { type: 'business-unit', children: [] },
    });
  }
  for (let t = 0; t < TEAMS; t++) {
    org.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${t}` },
      spec: { type: 'team', parent: `bu-${t % BUSINESS_UNITS}`, children: [] },
    });
  }
  return org;
}

function makeComponents(): Entity[] {
  return Array.from({ length: COMPONENTS }, (_, i) => {
    const team = i % TEAMS;
    const bu = team % BUSINESS_UNITS;
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${i}`,
        // Half name their cost center, half get the business unit default.
        annotations:
          i % 2 === 0
            ? { 'paved-road.io/cost-center': `CC-${1001 + bu * 10}` }
            : {},
      },
      spec: { type: 'service', lifecycle: 'production', owner: `team-${team}` },
    };
  });
}

function writeYaml(dir: string, name: string, entities: Entity[]) {
  const file = join(dir, name);
  writeFileSync(file, entities.map(e => stringify(e)).join('---\n'));
  return file;
}

async function waitForCount(server: any, kind: string, count: number) {
  for (;;) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`)
      .set('authorization', mockCredentials.user.header());
    if (res.body.totalItems >= count) {
      return;
    }
    await new Promise(r => setTimeout(r, 200));
  }
}

// Lets the benchmark register file locations through the API, so the
// components can be added once the organisation is in.
const allowFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

async function processAll(
  withModule: boolean,
  orgFile: string,
  files: string[],
  components: number = COMPONENTS,
) {
  collectGarbage();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      allowFileLocations,
      ...(withModule ? [catalogModulePavedRoad] : []),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            processingInterval: PROCESSING_INTERVAL,
            rules: [{ allow: ['Component', 'Group', 'Location'] }],
            locations: [{ type: 'file', target: orgFile }],
          },
        },
      }),
    ],
  });
  const { server } = backend;
  try {
    // The organisation first, as in a real portal; then time the components.
    await waitForCount(server, 'group', BUSINESS_UNITS + TEAMS);
    const started = process.hrtime.bigint();
    for (const target of files) {
      const res = await request(server)
        .post('/api/catalog/locations')
        .set('authorization', mockCredentials.user.header())
        .send({ type: 'file', target });
      if (res.status !== 201) {
        throw new Error(`adding ${target} failed: ${res.status} ${res.text}`);
      }
    }
    await waitForCount(server, 'component', components);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await backend.stop();
  }
}

async function processorTimes(org: Entity[], components: Entity[]) {
  const groups = indexGroups(org);
  let snapshot = { groups, systems: new Map() };
  const processor = PavedRoadOwnershipProcessor.fromConfig(
    new ConfigReader({}),
    {
      org: { getSnapshot: async () => snapshot },
    },
  );
  const location = { type: 'file', target: 'bench' };
  const emit = () => {};
  const run = async (entity: Entity) => {
    const pre = await processor.preProcessEntity(entity, location, emit);
    await processor.postProcessEntity(pre, location, emit);
  };
  for (const e of components.slice(0, 2000)) await run(e); // warm up the JIT
  // A new snapshot, as after an organisation refresh: the processor's
  // per-snapshot resolution cache starts empty, so its misses are measured.
  snapshot = { groups, systems: new Map() };
  const times: number[] = [];
  for (const e of components) {
    const t0 = process.hrtime.bigint();
    await run(e);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'paved-road-bench-'));
  const org = makeOrg();
  const components = makeComponents();
  const orgFile = writeYaml(dir, 'org.yaml', org);
  const files: string[] = [];
  for (let i = 0; i < components.length; i += 1000) {
    files.push(
      writeYaml(dir, `components-${i}.yaml`, components.slice(i, i + 1000)),
    );
  }
  console.log(
    `catalog processing: ${COMPONENTS} components, ${TEAMS} teams, ${BUSINESS_UNITS} business units, SQLite`,
  );
  // Untimed: loads and JIT-compiles both configurations, which would
  // otherwise slow down whichever run comes first.
  await processAll(false, orgFile, files.slice(0, 1), WARM_UP_COMPONENTS);
  await processAll(true, orgFile, files.slice(0, 1), WARM_UP_COMPONENTS);
  // Alternate the order (without/with, then with/without) so order effects
  // and drift on the machine hit both alike; compare the medians.
  const without: number[] = [];
  const withIt: number[] = [];
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (round % 2 === 1) {
      without.push(await processAll(false, orgFile, files));
      withIt.push(await processAll(true, orgFile, files));
    } else {
      withIt.push(await processAll(true, orgFile, files));
      without.push(await processAll(false, orgFile, files));
    }
    ratios.push(without.at(-1)! / withIt.at(-1)!);
    console.log(
      `  round ${round}: without module ${without
        .at(-1)!
        .toFixed(1)} s, with module ${withIt
        .at(-1)!
        .toFixed(1)} s (ratio ${ratios.at(-1)!.toFixed(3)}${
        round % 2 === 1 ? '' : ', with module first'
      })`,
    );
  }
  const baseline = median(without);
  const withModule = median(withIt);
  console.log(
    `  without module: ${baseline.toFixed(1)} s (${(
      COMPONENTS / baseline
    ).toFixed(0)} entities/s, median)`,
  );
  console.log(
    `  with module:    ${withModule.toFixed(1)} s (${(
      COMPONENTS / withModule
    ).toFixed(0)} entities/s, median)`,
  );
  console.log(
    `  throughput ratio (with / without): ${(baseline / withModule).toFixed(
      3,
    )} (target >= 0.98); median of the rounds' ratios ${median(ratios).toFixed(
      3,
    )}`,
  );

  const t = await processorTimes(org, components);
  console.log(
    `processor time per entity (pre + post): p50 ${t.p50.toFixed(
      1,
    )} µs, p95 ${t.p95.toFixed(1)} µs, p99 ${t.p99.toFixed(
      1,
    )} µs (target p99 < 50 µs)`,
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
