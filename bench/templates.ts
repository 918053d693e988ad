/*
 * Benchmark: creating projects from the Kotlin templates on the embedded
 * default.
 *
 * 1. Starts the real portal backend (SQLite, local git publishing) on :7077,
 *    creates N projects per template through the scaffolder API and prints
 *    p50/p95 of task time (creation to completion; target p95 < 3 s) and of
 *    the time from completion until the entity is readable from the catalog
 *    API (target < 5 s).
 * 2. In this process: rendering, writing and committing the service skeleton
 *    with the real fetch:template action and Paved Road's local git
 *    publishing, as a ratio against a bare baseline (the same template engine,
 *    fs writes, git init/add/commit). Target: at most 1.3x.
 *
 *   ./scripts/bench templates [runs-per-template]
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  promises as fs,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createTemplateRenderer } from 'nunjitsu';
import { stringify } from 'yaml';

const RUNS = Number(process.argv[2] ?? 20);
const PORT = 7077;
const BASE = `http://localhost:${PORT}`;
const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

const deployment = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1'],
  rollout: {
    strategy: 'canary',
    canaryPercent: 10,
    healthCheckPath: '/actuator/health',
  },
};

const TEMPLATES: Record<string, (name: string) => Record<string, unknown>> = {
  'kotlin-spring-service': name => ({
    name,
    description: 'Benchmark service',
    owner: 'group:default/checkout',
    groupId: 'com.example.bench',
    javaVersion: '17',
    deployment,
  }),
  'kotlin-library': name => ({
    name,
    description: 'Benchmark library',
    owner: 'group:default/checkout',
    groupId: 'com.example.bench',
    javaVersion: '17',
  }),
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function startBackend(dir: string): Promise<ChildProcess> {
  const config = join(dir, 'bench.yaml');
  writeFileSync(
    config,
    stringify({
      app: { baseUrl: BASE },
      backend: {
        baseUrl: BASE,
        listen: { port: PORT },
        cors: { origin: BASE },
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(dir, 'sqlite') },
        },
        reading: {
          allow: [{ host: `localhost:${PORT}`, paths: ['/api/local-git/'] }],
        },
      },
      pavedRoad: {
        localGit: {
          directory: join(dir, 'git'),
          baseUrl: `${BASE}/api/local-git`,
        },
      },
      costs: { sources: [] },
    }),
  );
  const child = spawn(
    'yarn',
    ['start', '--config', '../../app-config.yaml', '--config', config],
    {
      cwd: join(ROOT, 'packages/backend'),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  child.stderr!.on('data', () => {});
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${BASE}/.backstage/health/v1/readiness`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  await stopBackend(child);
  throw new Error('backend did not become ready');
}

// The backend runs in its own process group (yarn, then node): stop all of
// it and wait, so its SQLite files are closed before the directory goes.
async function stopBackend(backend: ChildProcess) {
  if (backend.exitCode !== null) return;
  const exited = new Promise(r => backend.once('exit', r));
  process.kill(-backend.pid!, 'SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
}

async function guestToken() {
  const res = await fetch(`${BASE}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return (await res.json()).backstageIdentity.token as string;
}

async function waitForEntity(token: string, ref: string, timeoutMs: number) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    const res = await fetch(
      `${BASE}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (res.ok) return;
    await sleep(25);
  }
  throw new Error(`${ref} not in the catalog after ${timeoutMs} ms`);
}

async function createProject(token: string, template: string, name: string) {
  const started = now();
  const res = await fetch(`${BASE}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values: TEMPLATES[template](name),
    }),
  });
  if (res.status !== 201)
    throw new Error(`task creation: ${res.status} ${await res.text()}`);
  const { id } = await res.json();
  for (;;) {
    const task = await (
      await fetch(`${BASE}/api/scaffolder/v2/tasks/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    if (task.status === 'completed') break;
    if (task.status === 'failed' || task.status === 'cancelled') {
      throw new Error(`task ${id} ${task.status}`);
    }
    await sleep(20);
  }
  const completed = now();
  await waitForEntity(token, `component:default/${name}`, 60_000);
  return { taskMs: completed - started, catalogMs: now() - completed };
}

async function endToEnd() {
  const dir = mkdtempSync(join(tmpdir(), 'paved-road-bench-templates-'));
  let backend: ChildProcess | undefined;
  try {
    backend = await startBackend(dir);
    const token = await guestToken();
    for (const template of Object.keys(TEMPLATES)) {
      await waitForEntity(token, `template:default/${template}`, 120_000);
    }
    await waitForEntity(token, 'group:default/checkout', 120_000);
    // One warm-up project per template (first-use compilation, caches).
    for (const template of Object.keys(TEMPLATES)) {
      await createProject(token, template, `warmup-${template}`);
    }
    for (const template of Object.keys(TEMPLATES)) {
      const task: number[] = [];
      const catalog: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await createProject(
          token,
          template,
          `bench-${template}-${i}`,
        );
        task.push(r.taskMs);
        catalog.push(r.catalogMs);
      }
      const t = percentiles(task);
      const c = percentiles(catalog);
      console.log(`${template} (${RUNS} runs)`);
      console.log(
        `  task time:            p50 ${fmt(t.p50)}, p95 ${fmt(
          t.p95,
        )}, max ${fmt(t.max)} (target p95 < 3 s)`,
      );
      console.log(
        `  completion → catalog: p50 ${fmt(c.p50)}, p95 ${fmt(
          c.p95,
        )}, max ${fmt(c.max)} (target < 5 s)`,
      );
    }
  } finally {
    if (backend) await stopBackend(backend);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

const skeletonValues = (name: string) => ({
  name,
  description: 'Benchmark service',
  owner: 'group:default/checkout',
  ownerName: 'checkout',
  system: '',
  costCenter: 'CC-1001',
  businessUnit: 'group:default/payments',
  groupId: 'com.example.bench',
  basePackage: 'com.example.bench',
  basePackagePath: 'com/example/bench',
  javaVersion: '17',
  repoUrl: `http://localhost:7007/api/local-git/${name}.git`,
  repoSlug: `local/${name}`,
  templateRef: 'template:default/kotlin-spring-service',
  deployment,
});

const AUTHOR = { name: 'Guest Developer', email: 'guest@example.com' };
const templateDir = join(ROOT, 'templates/kotlin-spring-service');

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, {
    withFileTypes: true,
    recursive: true,
  });
  return entries
    .filter(e => e.isFile())
    .map(e => relative(dir, join(e.parentPath, e.name)));
}

/** The bare minimum: render names and contents, write them, one git commit. */
async function baseline(out: string, name: string, split: number[]) {
  const t0 = now();
  const renderer = createTemplateRenderer({});
  const context = renderer.prepareContext({ values: skeletonValues(name) });
  const skeleton = join(templateDir, 'skeleton');
  for (const file of await listFiles(skeleton)) {
    const target = join(out, renderer.render(file, context));
    await fs.mkdir(join(target, '..'), { recursive: true });
    const content = await fs.readFile(join(skeleton, file), 'utf8');
    await fs.writeFile(target, renderer.render(content, context));
  }
  split.push(now() - t0);
  const git = (...args: string[]) => run('git', args, { cwd: out });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git(
    '-c',
    `user.name=${AUTHOR.name}`,
    '-c',
    `user.email=${AUTHOR.email}`,
    'commit',
    '-q',
    '-m',
    'Initial commit',
  );
}

async function pavedRoad(
  out: string,
  dir: string,
  name: string,
  split: number[],
) {
  const t0 = now();
  const fetchTemplate = createFetchTemplateAction({
    reader: {} as any, // a file: template never reaches the URL reader
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  // What fetch:template reads of its context; the task engine adds the rest.
  const ctx = {
    input: { url: './skeleton', values: skeletonValues(name) },
    templateInfo: {
      baseUrl: pathToFileURL(join(templateDir, 'template.yaml')).href,
      entityRef: 'template:default/kotlin-spring-service',
    },
    workspacePath: out,
    logger: mockServices.rootLogger(),
    createTemporaryDirectory: async () => mkdtempSync(join(dir, 'tmp-')),
  };
  await fetchTemplate.handler(ctx as any);
  split.push(now() - t0);
  const repositories = LocalGitRepositories.fromConfig(
    new ConfigReader({
      backend: { baseUrl: 'http://localhost:7007' },
      pavedRoad: { localGit: { directory: join(dir, 'git') } },
    }),
  );
  await repositories.createRepository({
    name,
    sourceDir: out,
    author: AUTHOR,
    taskId: `bench-${name}`,
  });
}

async function renderWriteCommit() {
  const dir = mkdtempSync(join(tmpdir(), 'paved-road-bench-render-'));
  mkdirSync(join(dir, 'git'));
  try {
    await compareRenderWriteCommit(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function compareRenderWriteCommit(dir: string) {
  const base: number[] = [];
  const ours: number[] = [];
  const baseRender: number[] = [];
  const oursRender: number[] = [];
  // Alternate the two so drift on the machine hits both alike.
  for (let i = -3; i < RUNS; i++) {
    let t = now();
    await baseline(
      mkdtempSync(join(dir, 'b-')),
      `b${i + 3}`,
      i >= 0 ? baseRender : [],
    );
    const b = now() - t;
    t = now();
    await pavedRoad(
      mkdtempSync(join(dir, 'p-')),
      dir,
      `p${i + 3}`,
      i >= 0 ? oursRender : [],
    );
    const p = now() - t;
    if (i >= 0) {
      base.push(b);
      ours.push(p);
    }
  }
  const b = percentiles(base).p50;
  const p = percentiles(ours).p50;
  console.log(
    `render + write + commit of the service skeleton (${RUNS} runs, median)`,
  );
  console.log(
    `  baseline (template engine, fs, git init/add/commit): ${b.toFixed(0)} ms`,
  );
  console.log(
    `  Paved Road (fetch:template + local git publishing): ${p.toFixed(0)} ms`,
  );
  console.log(`  ratio: ${(p / b).toFixed(2)}x (target <= 1.3x)`);
  const br = percentiles(baseRender).p50;
  const pr = percentiles(oursRender).p50;
  console.log(
    `  of which render + write: baseline ${br.toFixed(
      0,
    )} ms, fetch:template ${pr.toFixed(0)} ms; commit: baseline ${(
      b - br
    ).toFixed(0)} ms, local git publishing ${(p - pr).toFixed(0)} ms`,
  );
}

async function main() {
  if (process.env.BENCH_PART !== 'e2e') await renderWriteCommit();
  if (process.env.BENCH_PART !== 'render') await endToEnd();
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
