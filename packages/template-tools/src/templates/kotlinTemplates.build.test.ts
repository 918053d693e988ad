import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import {
  checkHealth,
  checkToggleFlips,
  checkTraceIdsInLogs,
  findJdk,
  mavenVerify,
  startService,
} from '../testing';
import { libraryCases, RenderCase, serviceCases } from './__testUtils__/cases';
import {
  loadTemplate,
  REPO_ROOT,
  startRenderer,
  text,
  writeFiles,
} from './__testUtils__/render';

/*
 * The generated projects themselves: for each Java version a template
 * offers (17 and 25), one rendering of each template is built and tested
 * with Maven (`mvn verify`: tests and the JaCoCo coverage gate) on a JDK of
 * that version. The Java 17 service is started and shows its features
 * working: health probes, trace ids in its JSON logs, its example toggle
 * flipped without a restart; the Java 25 one is started and answers its
 * health probes. Every GitHub workflow passes actionlint. Maven's local
 * repository (~/.m2) is reused between runs.
 *
 * A machine without a JDK of some version skips that version's builds, and
 * says so in the test's name. PAVED_ROAD_SKIP_MAVEN_TESTS=1 skips every
 * Maven build (reported as skipped, never silently).
 */

const MINUTE = 60_000;
jest.setTimeout(15 * MINUTE);

const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';

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

const JAVA_VERSIONS = ['17', '25'];

describe.each(['service', 'library'] as const)('kotlin %s', kind => {
  const all = kind === 'service' ? serviceCases : libraryCases;
  const cases = all.map((c, i) => [c.title, i] as const);

  it('offers exactly the Java versions built here', async () => {
    const template = await loadTemplate(
      join(
        REPO_ROOT,
        'templates',
        kind === 'service' ? 'kotlin-spring-service' : 'kotlin-library',
      ),
    );
    const pages = template.entity.spec.parameters as Array<{
      properties?: Record<string, { enum?: string[] }>;
    }>;
    const build = pages.find(page => page.properties?.javaVersion);
    expect(build?.properties?.javaVersion.enum).toEqual(JAVA_VERSIONS);
    for (const version of JAVA_VERSIONS) {
      expect(all.some(c => c.values.javaVersion === version)).toBe(true);
    }
  });

  // One rendering per Java version is built: the others differ in names
  // and packages only, which the rendering tests check.
  describe.each(JAVA_VERSIONS)('Java %s', javaVersion => {
    const index = all.findIndex(c => c.values.javaVersion === javaVersion);
    const jdk = findJdk(javaVersion);
    const title = 'builds and passes its tests and coverage gate with mvn verify';
    if (skipMaven || !jdk) {
      it.skip(
        `${title} (skipped: ${
          skipMaven
            ? 'PAVED_ROAD_SKIP_MAVEN_TESTS=1'
            : `no JDK ${javaVersion} on this machine; set JAVA_${javaVersion}_HOME to build it`
        })`,
        () => {},
      );
      return;
    }
    it(`${title}${kind === 'service' ? ', and starts' : ''}`, async () => {
      const r = rendered[kind][index];
      const dir = await materialise(kind, r);
      const built = await mavenVerify(dir, jdk);
      // Shown in the test log: how long the generated build takes here.
      // eslint-disable-next-line no-console
      console.log(
        `${kind} ${r.c.values.name} on Java ${jdk.version}: mvn verify ${built.seconds}s, ${built.tests} tests, line coverage ${(built.lineCoverage * 100).toFixed(1)} %`,
      );
      expect(text(r.files, 'pom.xml')).toContain(
        `<java.version>${javaVersion}</java.version>`,
      );
      if (kind !== 'service') return;
      const service = await startService(
        dir,
        join(dir, 'target', `${r.c.values.name}-0.1.0-SNAPSHOT.jar`),
        jdk,
      );
      try {
        await checkHealth(service);
        if (javaVersion === '17') {
          await checkTraceIdsInLogs(service);
          const flips = await checkToggleFlips(service, dir);
          // eslint-disable-next-line no-console
          console.log(
            `toggle flipped on in ${flips.onMs} ms, off in ${flips.offMs} ms`,
          );
        }
      } finally {
        await service.stop();
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
});

function exitCode(error: { code?: unknown } | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 1;
}
