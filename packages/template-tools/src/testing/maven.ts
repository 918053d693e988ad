import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { Jdk, jdkEnv } from './jdks';

const MINUTE = 60_000;

/** What `mvn verify` of a generated project did. */
export type MavenVerifyResult = {
  seconds: number;
  /** Tests Surefire ran, all passed. */
  tests: number;
  /** Line coverage JaCoCo measured, 0–1; its gate ran in the same build. */
  lineCoverage: number;
};

/**
 * `mvn -B -q verify` in `dir` on `jdk`: compile, test, the JaCoCo report
 * and gate. Throws with the end of Maven's output when it fails, when a
 * Surefire report holds a failure, or when no tests or coverage came out.
 */
export async function mavenVerify(
  dir: string,
  jdk: Jdk,
): Promise<MavenVerifyResult> {
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'mvn',
      ['-B', '-q', 'verify', '-Dkotlin.compiler.daemon=false'],
      {
        cwd: dir,
        env: jdkEnv(jdk),
        maxBuffer: 64 * 1024 * 1024,
        timeout: 14 * MINUTE,
      },
      (error, stdout, stderr) => {
        const text = `${stdout}${stderr}`;
        if (error) {
          reject(
            new Error(
              `mvn verify on Java ${jdk.version} failed in ${dir}:\n${text.slice(-8000)}`,
            ),
          );
        } else resolve(text);
      },
    );
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const tests = await surefireTests(dir, output);
  const lineCoverage = await jacocoLineCoverage(dir);
  return { seconds, tests, lineCoverage };
}

async function surefireTests(dir: string, output: string): Promise<number> {
  const reports = join(dir, 'target/surefire-reports');
  let tests = 0;
  for (const file of (await fs.readdir(reports)).filter(f =>
    f.endsWith('.xml'),
  )) {
    const xml = await fs.readFile(join(reports, file), 'utf8');
    const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
    const count = (name: string) =>
      Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    if (count('failures') + count('errors') > 0) {
      throw new Error(`${file} reports failures:\n${output.slice(-4000)}`);
    }
    tests += count('tests');
  }
  if (tests === 0) throw new Error(`no tests ran in ${dir}`);
  return tests;
}

/** Covered / (covered + missed) lines over jacoco.csv's rows. */
async function jacocoLineCoverage(dir: string): Promise<number> {
  const csv = await fs.readFile(join(dir, 'target/site/jacoco/jacoco.csv'), 'utf8');
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.split(',');
  const missed = columns.indexOf('LINE_MISSED');
  const covered = columns.indexOf('LINE_COVERED');
  let m = 0;
  let c = 0;
  for (const row of rows) {
    const cells = row.split(',');
    m += Number(cells[missed]);
    c += Number(cells[covered]);
  }
  if (m + c === 0) throw new Error(`jacoco.csv in ${dir} counts no lines`);
  return c / (m + c);
}
