/*
 * Benchmark: deploying a service on the embedded default (the deployments
 * engine with the local runtime: deployments.provider local, a 5 s bake).
 *
 * 1. Deploy time. The sample services, seeded by
 *    examples/seed-repositories.mjs (Kotlin Spring Boot projects rendered
 *    from the template), served over HTTP by the local git hosting on a free
 *    port. Each round deploys a service not deployed before, twice over, in
 *    turns (alternating who goes first):
 *    - engine: POST .../deployments, then GET .../runtime until every new
 *      instance is healthy (the runner claims it, git clone over HTTP,
 *      `mvn -B package -DskipTests`, JVMs started and health-checked as the
 *      settings' rollout says, behind the stable URL);
 *    - bare: the same work as a script: git clone + checkout, the same mvn
 *      command, `java -Xmx -jar ... --server.port` for the same instances in
 *      the same order, polling the health path as often (the canary's bake
 *      included: the embedded default's bakeSeconds of checks).
 *    Prints each pair and the ratio engine / bare (target <= 1.15x).
 * 2. Reads under load. GET .../deployments and GET .../runtime of a
 *    deployed service, each at 250 requests/s for 10 s from autocannon in
 *    this process (after a 2 s warm-up): p50, p99 and errors (target p99 <
 *    50 ms, no errors).
 *
 * Needs JDK 17 and Maven on PATH. Stable URLs on 18450-18459, never a
 * running portal's port.
 *
 *   ./scripts/bench deploy [rounds]   (1 to 4, default 2)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  DeploymentRuntime,
  DeploymentDetails,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import autocannon from 'autocannon';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { gitSync } from '../plugins/deployments-backend/src/__testUtils__/localGitProject';
import {
  startLocalRuntimeBackend,
  startSampleGitHosting,
  TestBackend,
} from '../plugins/deployments-backend/src/__testUtils__/localRuntimeBackend';

const SERVICES = [
  'orders-service',
  'payment-gateway',
  'fleet-tracker',
  'inventory-service',
];
const ROUNDS = Math.min(SERVICES.length, Number(process.argv[2] ?? 2));
// As app-config.yaml and the local runtime's defaults have them.
const BAKE_SECONDS = 5;
const MAX_INSTANCES = 2;
const MAX_MEMORY_MIB = 512;
// The runtime polls a starting instance every 500 ms and checks a baking
// one every 2 s (its health interval).
const START_POLL_MS = 500;
const BAKE_POLL_MS = 2000;
const RATE = 250;
const LOAD_SECONDS = 10;
const AUTH = mockCredentials.user.header('user:default/bob');
const run = promisify(execFile);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function settingsOf(gitDir: string): DeploymentSettings {
  return parse(
    gitSync(['--git-dir', gitDir, 'show', 'main:deploy/paved-road.yaml']),
  ).spec;
}

/** How many instances start as the canary, as the local runtime counts. */
function canaries(settings: DeploymentSettings, count: number) {
  return settings.rollout.strategy === 'canary'
    ? Math.min(
        count,
        Math.max(
          1,
          Math.ceil((count * (settings.rollout.canaryPercent ?? 10)) / 100),
        ),
      )
    : 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function healthStatus(url: string) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------
// The bare script

const bareJvms: ChildProcess[] = [];

async function startBareInstance(jar: string, path: string, memory: number) {
  const port = await freePort();
  const child = spawn(
    'java',
    [`-Xmx${memory}m`, '-jar', jar, `--server.port=${port}`],
    { stdio: 'ignore' },
  );
  bareJvms.push(child);
  const url = `http://127.0.0.1:${port}${path}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`java exited: ${jar}`);
    if ((await healthStatus(url)) === 200) return url;
    await sleep(START_POLL_MS);
  }
}

/** A command with its output read line by line, as a build log is. */
function runStreaming(command: string, args: string[], cwd: string) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => lines.push(...chunk.split('\n')));
    }
    child.on('error', reject);
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${command} exited ${code}: ${lines.slice(-20).join('\n')}`,
            ),
          ),
    );
  });
}

/** git clone, mvn package, java -jar for each instance, health polling. */
async function bareDeploy(cloneUrl: string, sha: string, dir: string) {
  const t0 = performance.now();
  const source = join(dir, 'source');
  await run('git', ['clone', '--quiet', cloneUrl, source]);
  await run('git', ['-c', 'advice.detachedHead=false', 'checkout', '-q', sha], {
    cwd: source,
  });
  await runStreaming(
    'mvn',
    ['-B', 'package', '-Dkotlin.compiler.daemon=false', '-DskipTests'],
    source,
  );
  const built = performance.now();
  const jar = join(
    source,
    'target',
    readdirSync(join(source, 'target')).find(f => f.endsWith('.jar'))!,
  );
  const settings = parse(
    gitSync([
      '--git-dir',
      join(source, '.git'),
      'show',
      'HEAD:deploy/paved-road.yaml',
    ]),
  ).spec as DeploymentSettings;
  const count = Math.min(settings.replicas, MAX_INSTANCES);
  const memory = Math.min(settings.memoryMiB, MAX_MEMORY_MIB);
  const path = settings.rollout.healthCheckPath;
  const canary = canaries(settings, count);
  const started: string[] = [];
  for (let n = 0; n < canary; n++) {
    started.push(await startBareInstance(jar, path, memory));
  }
  if (canary > 0) {
    const end = Date.now() + BAKE_SECONDS * 1000;
    do {
      for (const url of started) {
        if ((await healthStatus(url)) !== 200) throw new Error('bake failed');
      }
      await sleep(Math.max(0, Math.min(BAKE_POLL_MS, end - Date.now())));
    } while (Date.now() < end);
  }
  for (let n = canary; n < count; n++) {
    started.push(await startBareInstance(jar, path, memory));
  }
  const end = performance.now();
  return {
    total: end - t0,
    phases: `build ${secs(built - t0)}, instances ${secs(end - built)}`,
  };
}

// ---------------------------------------------------------------------------
// The engine

async function get(base: string, path: string) {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: AUTH },
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return res.json();
}

/** POST, then the runtime until every instance of the new commit is healthy. */
async function engineDeploy(base: string, service: string, count: number) {
  const entity = `/api/deployments/entities/default/component/${service}`;
  const t0 = performance.now();
  const res = await fetch(`${base}${entity}/deployments`, {
    method: 'POST',
    headers: { authorization: AUTH, 'content-type': 'application/json' },
    body: '{}',
  });
  if (res.status !== 202) {
    throw new Error(`POST deployments: ${res.status} ${await res.text()}`);
  }
  const created = (await res.json()) as DeploymentDetails;
  for (;;) {
    const runtime = (await get(base, `${entity}/runtime`)) as DeploymentRuntime;
    const fresh = runtime.instances.filter(
      i => i.version === created.commitSha && i.healthy,
    );
    if (fresh.length === count) break;
    const current = (await get(
      base,
      `/api/deployments/deployments/${created.id}`,
    )) as DeploymentDetails;
    if (current.finishedAt && current.status !== 'succeeded') {
      throw new Error(`${service}: ${current.status}: ${current.reason}`);
    }
    await sleep(100);
  }
  const healthy = performance.now() - t0;
  const details = (await get(
    base,
    `/api/deployments/deployments/${created.id}`,
  )) as DeploymentDetails;
  const ms = (from: string, to: string | null) =>
    to ? Date.parse(to) - Date.parse(from) : NaN;
  const phases = [
    `queued ${secs(ms(details.startedAt, details.stages[0]?.startedAt))}`,
    ...details.stages.map(
      st => `${st.name} ${secs(ms(st.startedAt, st.finishedAt))}`,
    ),
  ].join(', ');
  return { total: healthy, phases };
}

// ---------------------------------------------------------------------------

async function deployRounds(
  base: string,
  git: { directory: string; baseUrl: string },
  dir: string,
) {
  // Untimed: fills Maven's local repository so neither side pays downloads.
  const warm = mkdtempSync(join(dir, 'warm-'));
  await run('git', [
    'clone',
    '--quiet',
    `${git.baseUrl}/${SERVICES[0]}.git`,
    join(warm, 's'),
  ]);
  await run(
    'mvn',
    ['-B', '-q', 'package', '-Dkotlin.compiler.daemon=false', '-DskipTests'],
    {
      cwd: join(warm, 's'),
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  rmSync(warm, { recursive: true, force: true });

  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const service = SERVICES[round];
    const gitDir = join(git.directory, `${service}.git`);
    const settings = settingsOf(gitDir);
    const count = Math.min(settings.replicas, MAX_INSTANCES);
    const sha = gitSync(['--git-dir', gitDir, 'rev-parse', 'main']).trim();
    const times: Record<'engine' | 'bare', number> = { engine: 0, bare: 0 };
    const phases: Record<'engine' | 'bare', string> = { engine: '', bare: '' };
    const order: Array<'engine' | 'bare'> =
      round % 2 === 0 ? ['bare', 'engine'] : ['engine', 'bare'];
    for (const side of order) {
      if (side === 'bare') {
        const bare = await bareDeploy(
          `${git.baseUrl}/${service}.git`,
          sha,
          mkdtempSync(join(dir, `bare-${service}-`)),
        );
        times.bare = bare.total;
        phases.bare = bare.phases;
      } else {
        const engine = await engineDeploy(base, service, count);
        times.engine = engine.total;
        phases.engine = engine.phases;
      }
    }
    const ratio = times.engine / times.bare;
    ratios.push(ratio);
    console.log(
      `  ${service} (${settings.rollout.strategy}, ${count} of ${
        settings.replicas
      } instances; ${order[0]} first): engine ${secs(
        times.engine,
      )}, bare ${secs(times.bare)}, ratio ${ratio.toFixed(3)}x`,
    );
    console.log(`    engine: ${phases.engine}`);
    console.log(`    bare:   ${phases.bare}`);
  }
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  console.log(
    `  ratio engine / bare, mean of ${ratios.length}: ${mean.toFixed(
      3,
    )}x (target <= 1.15x)`,
  );
}

async function readsUnderLoad(base: string, service: string) {
  const entity = `/api/deployments/entities/default/component/${service}`;
  for (const path of [`${entity}/deployments`, `${entity}/runtime`]) {
    const options = {
      url: `${base}${path}`,
      headers: { authorization: AUTH },
      connections: 10,
      overallRate: RATE,
    };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration: LOAD_SECONDS });
    const errors = result.errors + result.timeouts + result.non2xx;
    console.log(
      `  GET ${path.slice(entity.length)}: ${
        result.requests.total
      } requests in ${LOAD_SECONDS} s (${result.requests.average}/s), p50 ${
        result.latency.p50
      } ms, p99 ${result.latency.p99} ms, max ${
        result.latency.max
      } ms, errors ${errors} (target p99 < 50 ms, no errors)`,
    );
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'paved-road-bench-deploy-'));
  let hosting: TestBackend | undefined;
  let engine: TestBackend | undefined;
  try {
    const git = await startSampleGitHosting(join(dir, 'git'));
    hosting = git.backend;
    engine = (
      await startLocalRuntimeBackend({
        gitDirectory: git.directory,
        gitBaseUrl: git.baseUrl,
        workDirectory: join(dir, 'work'),
        ports: { from: 18450, to: 18459 },
        bakeSeconds: BAKE_SECONDS,
        sampleHistory: true,
      })
    ).backend;
    const base = `http://localhost:${engine.server.port()}`;

    console.log(
      `deploy: POST until every new instance is healthy, ${ROUNDS} round(s)`,
    );
    await deployRounds(base, git, dir);

    console.log(
      `reads of a deployed service at ${RATE} requests/s (autocannon, in process)`,
    );
    await readsUnderLoad(base, SERVICES[0]);
  } finally {
    await Promise.all(
      bareJvms.map(
        jvm =>
          new Promise(resolve => {
            if (jvm.exitCode !== null) return resolve(undefined);
            jvm.once('exit', resolve);
            jvm.kill('SIGTERM');
          }),
      ),
    );
    // Stops the engine's JVMs and stable URLs.
    await engine?.stop();
    await hosting?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
