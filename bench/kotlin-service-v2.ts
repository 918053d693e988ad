/*
 * Benchmark: what the Kotlin service template's 2.0.0 features (tracing,
 * OpenFeature with the flagd file provider, the coverage gate, the SLO
 * buckets) cost a team every day, against 1.0.0 as released (the snapshot
 * in plugins/templates-backend/src/upgrade/__fixtures__).
 *
 * Both versions are rendered with the same answers through the scaffolder's
 * dry run (`paved-road-template --render`). Then, taking turns, v1 first in
 * even rounds and v2 first in odd ones so that neither always meets a warm
 * machine: `mvn -B -q -o verify` (offline after one untimed warm-up each, so
 * the network is not measured) and the time from `java -jar` until
 * `/actuator/health` answers. Prints medians and v2/v1 ratios, and the jar
 * sizes. Needs JDK 17 and Maven.
 *
 *   ./scripts/bench kotlin-service-v2 [rounds]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import {
  findJdk,
  jdkEnv,
  startService,
} from '@paved-road/template-tools/testing';

const ROUNDS = Number(process.argv[2] ?? 3);
const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

const VERSIONS = {
  v1: join(
    ROOT,
    'plugins/templates-backend/src/upgrade/__fixtures__/kotlin-spring-service-1.0.0/template.yaml',
  ),
  v2: join(ROOT, 'templates/kotlin-spring-service/template.yaml'),
} as const;
type Version = keyof typeof VERSIONS;

const ANSWERS = {
  name: 'bench-service',
  description: 'Benchmark service',
  owner: 'group:default/checkout',
  system: '',
  costCenter: '',
  groupId: 'com.example',
  basePackage: '',
  javaVersion: '17',
  deployment: {
    cluster: 'local',
    replicas: 1,
    cpuMillicores: 500,
    memoryMiB: 512,
    regions: ['eu-west-1'],
    rollout: { strategy: 'rolling' },
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const jdk = findJdk('17');
  if (!jdk) throw new Error('needs a JDK 17');
  const work = mkdtempSync(join(tmpdir(), 'bench-kotlin-v2-'));
  try {
    const answers = join(work, 'answers.yaml');
    await fs.writeFile(answers, stringify(ANSWERS));
    const dirs = {} as Record<Version, string>;
    for (const version of Object.keys(VERSIONS) as Version[]) {
      dirs[version] = join(work, version);
      await run(
        process.execPath,
        [
          join(ROOT, 'packages/template-tools/bin/paved-road-template'),
          VERSIONS[version],
          '--render',
          answers,
          '--out',
          dirs[version],
        ],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      );
      // Untimed: fills ~/.m2 with what this version needs
      await mvnVerify(dirs[version], jdk, false);
    }

    const times = {
      v1: { build: [] as number[], boot: [] as number[] },
      v2: { build: [] as number[], boot: [] as number[] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Version[] = round % 2 ? ['v2', 'v1'] : ['v1', 'v2'];
      for (const version of order) {
        times[version].build.push(await mvnVerify(dirs[version], jdk, true));
        times[version].boot.push(await bootTime(dirs[version], jdk));
      }
      process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
    }

    const jar = (version: Version) =>
      statSync(join(dirs[version], 'target/bench-service-0.1.0-SNAPSHOT.jar'))
        .size /
      (1024 * 1024);
    const row = (label: string, v1: number, v2: number, unit: string) =>
      `${label.padEnd(28)} ${`${v1.toFixed(1)} ${unit}`.padStart(10)} ${`${v2.toFixed(1)} ${unit}`.padStart(10)}   ${(v2 / v1).toFixed(2)}x`;
    process.stdout.write(
      [
        '',
        `Kotlin service 1.0.0 vs 2.0.0 on Java ${jdk.version}, ${ROUNDS} rounds, medians`,
        `${''.padEnd(28)} ${'1.0.0'.padStart(10)} ${'2.0.0'.padStart(10)}   ratio`,
        row(
          'mvn -o verify',
          median(times.v1.build),
          median(times.v2.build),
          's',
        ),
        row(
          'java -jar until healthy',
          median(times.v1.boot),
          median(times.v2.boot),
          's',
        ),
        row('jar size', jar('v1'), jar('v2'), 'MB'),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function mvnVerify(
  dir: string,
  jdk: NonNullable<ReturnType<typeof findJdk>>,
  offline: boolean,
): Promise<number> {
  const started = process.hrtime.bigint();
  await run(
    'mvn',
    [
      '-B',
      '-q',
      ...(offline ? ['-o'] : []),
      'verify',
      '-Dkotlin.compiler.daemon=false',
    ],
    { cwd: dir, env: jdkEnv(jdk), maxBuffer: 64 * 1024 * 1024 },
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function bootTime(
  dir: string,
  jdk: NonNullable<ReturnType<typeof findJdk>>,
): Promise<number> {
  const started = process.hrtime.bigint();
  const service = await startService(
    dir,
    join(dir, 'target/bench-service-0.1.0-SNAPSHOT.jar'),
    jdk,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await service.stop();
  return seconds;
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
