import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { deploymentRequest } from '../__testUtils__/fakeService';
import { tempDir } from '../__testUtils__/harness';
import { findRunnableJar } from './findRunnableJar';
import { MavenBuilder } from './MavenBuilder';

jest.setTimeout(30_000);

/*
 * Real git, a stand-in for mvn: a script that records its arguments and
 * leaves what a Spring Boot build leaves in target/ (the checked-out
 * version.txt inside the runnable jar).
 */
const FAKE_MVN = `#!/bin/sh
echo "[INFO] fake maven $*"
echo "$*" > ../mvn-args
if [ -f FAIL ]; then echo "[ERROR] COMPILATION ERROR: Unresolved reference: oops"; exit 1; fi
if [ -f SLOW ]; then sleep 30; fi
mkdir -p target
cp version.txt target/app-0.1.0.jar
head -c 4096 /dev/zero >> target/app-0.1.0.jar
echo plain > target/app-0.1.0-plain.jar
echo sources > target/app-0.1.0-sources.jar
echo "[INFO] BUILD SUCCESS"
`;

describe('MavenBuilder', () => {
  let dir: string;
  let repo: string;
  let mvn: string;
  const commits: Record<string, string> = {};

  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, content] of Object.entries(files)) {
      execFileSync(
        'sh',
        ['-c', `printf '%s' "$1" > "$2"`, 'sh', content, name],
        {
          cwd: repo,
        },
      );
    }
    git('add', '-A');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      message,
    );
    return git('rev-parse', 'HEAD');
  };

  beforeAll(async () => {
    dir = await tempDir('maven-builder-test-');
    repo = path.join(dir, 'repo');
    await fs.mkdir(repo);
    git('init', '-q', '-b', 'main');
    commits.one = commit({ 'version.txt': 'one' }, 'one');
    commits.two = commit({ 'version.txt': 'two' }, 'two');
    commits.broken = commit({ FAIL: 'x' }, 'broken');
    git('rm', '-q', 'FAIL');
    commits.slow = commit({ SLOW: 'x' }, 'slow');
    mvn = path.join(dir, 'mvn');
    await fs.writeFile(mvn, FAKE_MVN, { mode: 0o755 });
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function build(
    commitSha: string,
    options: { skipTests?: boolean; signal?: AbortSignal } = {},
  ) {
    const directory = path.join(dir, 'deployments', commitSha);
    const lines: string[] = [];
    const builder = new MavenBuilder({
      skipTests: options.skipTests ?? true,
      mavenCommand: mvn,
    });
    const result = builder.build(
      deploymentRequest(commitSha, {
        commitSha,
        repository: { cloneUrl: repo, defaultBranch: 'main' },
      }),
      {
        directory,
        log: line => lines.push(line),
        signal: options.signal ?? new AbortController().signal,
      },
    );
    return { result, lines, directory };
  }

  it("clones, checks out the commit, builds and keeps the runnable jar, and the repository's files to run it among", async () => {
    const { result, lines, directory } = await build(commits.one);

    const artifact = await result;

    expect(artifact).toBe(path.join(directory, 'app.jar'));
    expect((await fs.readFile(artifact, 'utf8')).startsWith('one')).toBe(true);
    expect((await fs.readdir(directory)).sort()).toEqual([
      'app.jar',
      'files',
      'mvn-args',
    ]);
    // The commit's files, without the clone's .git and the build output
    expect(await fs.readdir(path.join(directory, 'files'))).toEqual([
      'version.txt',
    ]);
    expect(
      await fs.readFile(path.join(directory, 'files', 'version.txt'), 'utf8'),
    ).toBe('one');
    expect(await fs.readFile(path.join(directory, 'mvn-args'), 'utf8')).toBe(
      '-B package -Dkotlin.compiler.daemon=false -DskipTests\n',
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        `$ git clone --quiet ${repo} ${path.join(directory, 'source')}`,
        expect.stringMatching(/fake maven -B package/),
        '[INFO] BUILD SUCCESS',
        'built target/app-0.1.0.jar',
      ]),
    );
  });

  it('runs the tests when skipTests is off', async () => {
    const { result, directory } = await build(commits.two, {
      skipTests: false,
    });

    expect((await fs.readFile(await result, 'utf8')).startsWith('two')).toBe(
      true,
    );
    expect(await fs.readFile(path.join(directory, 'mvn-args'), 'utf8')).toBe(
      '-B package -Dkotlin.compiler.daemon=false\n',
    );
  });

  it('fails with the end of the build output', async () => {
    const { result } = await build(commits.broken);

    await expect(result).rejects.toThrow(
      /mvn -B package .* exited with 1:\n[\s\S]*COMPILATION ERROR: Unresolved reference: oops/,
    );
  });

  it('fails saying so when the commit does not exist', async () => {
    const { result } = await build('0'.repeat(40));

    await expect(result).rejects.toThrow(
      /git -c advice.detachedHead=false checkout/,
    );
  });

  it('stops the build when cancelled', async () => {
    const controller = new AbortController();
    const { result } = await build(commits.slow, { signal: controller.signal });
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();

    await expect(result).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('says when mvn is not installed', async () => {
    const builder = new MavenBuilder({
      skipTests: true,
      mavenCommand: path.join(dir, 'no-such-mvn'),
    });
    await expect(
      builder.build(
        deploymentRequest(commits.one, {
          commitSha: commits.one,
          repository: { cloneUrl: repo, defaultBranch: 'main' },
        }),
        {
          directory: path.join(dir, 'deployments', 'no-mvn'),
          log: () => {},
          signal: new AbortController().signal,
        },
      ),
    ).rejects.toThrow(
      /no-such-mvn could not be started \(ENOENT\); is it installed and on PATH\?/,
    );
  });

  it('never logs the password of a clone URL', async () => {
    const lines: string[] = [];
    const builder = new MavenBuilder({ skipTests: true, mavenCommand: mvn });
    await builder
      .build(
        deploymentRequest(commits.one, {
          commitSha: commits.one,
          repository: {
            cloneUrl: 'http://user:s3cret@127.0.0.1:1/repo.git',
            defaultBranch: 'main',
          },
        }),
        {
          directory: path.join(dir, 'deployments', 'secret'),
          log: line => lines.push(line),
          signal: new AbortController().signal,
        },
      )
      .catch(error => lines.push(error.message));

    expect(lines.join('\n')).not.toContain('s3cret');
    expect(lines.join('\n')).toContain('http://user:***@127.0.0.1:1/repo.git');
  });
});

describe('findRunnableJar', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('jars-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('takes the jar that is not plain, sources, javadoc or tests', async () => {
    for (const name of [
      'svc-1.0-plain.jar',
      'svc-1.0-sources.jar',
      'svc-1.0-javadoc.jar',
      'svc-1.0-tests.jar',
      'original-svc-1.0.jar',
      'svc-1.0.jar.original',
      'svc-1.0.jar',
    ]) {
      await fs.writeFile(path.join(dir, name), name);
    }
    await expect(findRunnableJar(dir)).resolves.toBe(
      path.join(dir, 'svc-1.0.jar'),
    );
  });

  it('says what it found when no jar is runnable', async () => {
    await fs.writeFile(path.join(dir, 'svc-plain.jar'), '');
    await expect(findRunnableJar(dir)).rejects.toThrow(
      /no runnable jar in .*\/ \(found: svc-plain.jar\)/,
    );
    await expect(findRunnableJar(path.join(dir, 'target'))).rejects.toThrow(
      'the build produced no target/ directory',
    );
  });
});
