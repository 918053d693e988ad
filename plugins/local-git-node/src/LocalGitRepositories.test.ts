import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { isolatedGitEnv } from './git';
import { LocalGitRepositories } from './LocalGitRepositories';

const author = { name: 'Jane Doe', email: 'jane@example.com' };

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, { cwd, env: isolatedGitEnv() }).toString(
    'utf8',
  );
}

describe('LocalGitRepositories', () => {
  const mockDir = createMockDirectory();
  let repositories: LocalGitRepositories;

  beforeEach(() => {
    mockDir.setContent({
      source: {
        'README.md': '# new-service\n',
        'catalog-info.yaml': 'kind: Component\n',
        src: { 'main.kt': 'fun main() {}\n' },
        '.gitignore': 'build/\n',
        build: { 'out.jar': 'binary' },
        mvnw: '#!/bin/sh\necho maven\n',
      },
    });
    fs.chmodSync(mockDir.resolve('source/mvnw'), 0o755);
    repositories = new LocalGitRepositories({
      directory: mockDir.resolve('git'),
      baseUrl: 'http://localhost:7007/api/local-git/',
    });
  });

  const create = (overrides: Partial<{ name: string; taskId: string }> = {}) =>
    repositories.createRepository({
      name: 'new-service',
      sourceDir: mockDir.resolve('source'),
      author,
      message: 'Create new-service from a template',
      taskId: 'task-1',
      ...overrides,
    });

  it('creates a bare repository that clones with the files and the author', async () => {
    const result = await create();

    expect(result).toEqual({
      name: 'new-service',
      cloneUrl: 'http://localhost:7007/api/local-git/new-service.git',
      repoContentsUrl:
        'http://localhost:7007/api/local-git/new-service/raw/main',
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      defaultBranch: 'main',
    });

    const clone = mockDir.resolve('clone');
    git(['clone', '--quiet', mockDir.resolve('git/new-service.git'), clone]);
    expect(fs.readFileSync(`${clone}/src/main.kt`, 'utf8')).toBe(
      'fun main() {}\n',
    );
    // .gitignore of the template is honoured.
    expect(fs.existsSync(`${clone}/build`)).toBe(false);
    // Scripts stay executable (./mvnw must run in the clone).
    expect(fs.statSync(`${clone}/mvnw`).mode & 0o111).toBe(0o111);
    expect(fs.statSync(`${clone}/README.md`).mode & 0o111).toBe(0);
    expect(
      git(['log', '--format=%H|%an <%ae>|%cn <%ce>|%B'], clone).trim(),
    ).toBe(
      `${result.commitHash}|Jane Doe <jane@example.com>|Jane Doe <jane@example.com>|Create new-service from a template\n\nPaved-Road-Task: task-1`,
    );
    expect(git(['rev-parse', '--abbrev-ref', 'HEAD'], clone).trim()).toBe(
      'main',
    );
    // Nothing was left behind: no temp dirs, no index, no .git in the source.
    expect(fs.readdirSync(mockDir.resolve('git'))).toEqual(['new-service.git']);
    expect(fs.existsSync(mockDir.resolve('source/.git'))).toBe(false);
    expect(fs.existsSync(mockDir.resolve('git/new-service.git/index'))).toBe(
      false,
    );
    // Read-only: pushing is refused even if served by another git server.
    expect(
      git(
        [
          '--git-dir',
          mockDir.resolve('git/new-service.git'),
          'config',
          'http.receivepack',
        ],
        mockDir.path,
      ).trim(),
    ).toBe('false');
  });

  it('stores the description', async () => {
    await repositories.createRepository({
      name: 'described',
      sourceDir: mockDir.resolve('source'),
      author,
      taskId: 'task-1',
      description: 'Orders\nservice ',
    });
    expect(
      fs.readFileSync(mockDir.resolve('git/described.git/description'), 'utf8'),
    ).toBe('Orders service\n');
  });

  it('returns the same commit when the same task retries', async () => {
    const first = await create();
    // The workspace may differ on a retry; the published repository does not.
    fs.writeFileSync(mockDir.resolve('source/README.md'), 'changed\n');
    const second = await create();

    expect(second).toEqual(first);
    const gitDir = `--git-dir=${mockDir.resolve('git/new-service.git')}`;
    expect(git([gitDir, 'rev-list', '--all']).trim()).toBe(first.commitHash);
  });

  it('refuses a name taken by another task', async () => {
    const first = await create();
    await expect(create({ taskId: 'task-2' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Repository new-service already exists',
    });
    const gitDir = `--git-dir=${mockDir.resolve('git/new-service.git')}`;
    expect(git([gitDir, 'rev-list', '--all']).trim()).toBe(first.commitHash);
  });

  it('refuses a repository that was not made by a task', async () => {
    git(['init', '--quiet', '--bare', mockDir.resolve('git/legacy.git')]);
    await expect(create({ name: 'legacy' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Repository legacy already exists',
    });
  });

  it('lets exactly one of several concurrent creations win', async () => {
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map(id => create({ taskId: `task-${id}` })),
    );
    const won = results.filter(r => r.status === 'fulfilled');
    const lost = results.filter(r => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(3);
    for (const r of lost) {
      expect((r as PromiseRejectedResult).reason.name).toBe('ConflictError');
    }
    expect(fs.readdirSync(mockDir.resolve('git'))).toEqual(['new-service.git']);
    const gitDir = `--git-dir=${mockDir.resolve('git/new-service.git')}`;
    expect(git([gitDir, 'rev-list', '--all']).trim()).toBe(
      (won[0] as PromiseFulfilledResult<{ commitHash: string }>).value
        .commitHash,
    );
  });

  it('gives concurrent retries of one task the same result', async () => {
    const [a, b] = await Promise.all([create(), create()]);
    expect(a).toEqual(b);
  });

  it.each([
    '../escape',
    '..',
    'a/../../b',
    '/etc/passwd',
    'Upper',
    '-rf',
    '.hidden',
    'a..b',
    'trailing.git',
    'x'.repeat(101),
    '',
  ])('rejects the name %j and writes nothing', async name => {
    await expect(create({ name })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('repoName'),
    });
    expect(fs.existsSync(mockDir.resolve('git'))).toBe(false);
    expect(fs.readdirSync(mockDir.path).sort()).toEqual(['source']);
  });

  it('rejects authors git would mangle', async () => {
    await expect(
      repositories.createRepository({
        name: 'x',
        sourceDir: mockDir.resolve('source'),
        author: { name: 'Eve <eve@evil>', email: 'eve@example.com' },
        taskId: 't',
      }),
    ).rejects.toThrow(/author\.name/);
  });

  it('lists repositories with their head and creation time', async () => {
    expect(await repositories.listRepositories()).toEqual([]);
    const created = await create();
    await create({ name: 'another-lib', taskId: 'task-2' });
    // Not repositories: temp dirs and stray files are ignored.
    fs.mkdirSync(mockDir.resolve('git/.tmp-x-123'));
    fs.writeFileSync(mockDir.resolve('git/notes.txt'), '');

    const list = await repositories.listRepositories();
    expect(list.map(r => r.name)).toEqual(['another-lib', 'new-service']);
    expect(list[1]).toEqual({
      name: 'new-service',
      cloneUrl: 'http://localhost:7007/api/local-git/new-service.git',
      defaultBranch: 'main',
      headCommit: created.commitHash,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Date.now() - Date.parse(list[1].createdAt)).toBeLessThan(60_000);
  });

  it('reads files at a ref', async () => {
    const { commitHash } = await create();
    expect(
      (
        await repositories.readFile('new-service', 'main', 'src/main.kt')
      ).toString(),
    ).toBe('fun main() {}\n');
    expect(
      (
        await repositories.readFile('new-service', commitHash, 'README.md')
      ).toString(),
    ).toBe('# new-service\n');
    await expect(
      repositories.readFile('new-service', 'main', 'missing.txt'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      repositories.readFile('new-service', 'nope', 'README.md'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      repositories.readFile('unknown', 'main', 'README.md'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'Repository unknown not found',
    });
    expect(await repositories.exists('new-service')).toBe(true);
    expect(await repositories.exists('unknown')).toBe(false);
  });

  it.each([
    ['main', '../secret', 'path'],
    ['main', '/etc/passwd', 'path'],
    ['main', 'a//b', 'path'],
    ['--output=/tmp/x', 'README.md', 'ref'],
    ['main:README.md', 'README.md', 'ref'],
    ['HEAD@{1}', 'README.md', 'ref'],
    ['main~1', 'README.md', 'ref'],
  ])('rejects ref %j path %j naming %s', async (ref, path, field) => {
    await create();
    await expect(
      repositories.readFile('new-service', ref, path),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(new RegExp(`^${field} `)),
    });
  });

  describe('commitDirectory and createBranch', () => {
    beforeEach(() => {
      mockDir.addContent({
        template: { 'README.md': '# template v2\n', gradlew: 'gradle\n' },
      });
      fs.chmodSync(mockDir.resolve('template/gradlew'), 0o755);
    });

    it('keeps a branch of its own beside the default branch', async () => {
      const { commitHash: initial } = await create();
      const first = await repositories.commitDirectory({
        name: 'new-service',
        branch: 'paved-road/template',
        sourceDir: mockDir.resolve('source'),
        author,
        message: 'Template v1',
        expectedHead: null,
      });
      expect(first).toEqual({
        commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        parent: undefined,
        changed: true,
      });
      // Same content as the initial commit: the same tree, on its own root.
      const gitDir = `--git-dir=${mockDir.resolve('git/new-service.git')}`;
      expect(git([gitDir, 'rev-parse', `${first.commitHash}^{tree}`])).toBe(
        git([gitDir, 'rev-parse', `${initial}^{tree}`]),
      );

      const second = await repositories.commitDirectory({
        name: 'new-service',
        branch: 'paved-road/template',
        sourceDir: mockDir.resolve('template'),
        author,
        message: 'Template v2',
        expectedHead: first.commitHash,
      });
      expect(second.parent).toBe(first.commitHash);
      expect(
        git([
          gitDir,
          'ls-tree',
          '--format=%(objectmode) %(path)',
          second.commitHash,
        ]),
      ).toBe('100644 README.md\n100755 gradlew\n');

      expect(
        await repositories.createBranch('new-service', 'upgrade/v2', 'main'),
      ).toBe(initial);
      // The default branch and what the hosting reports are untouched.
      const [repository] = await repositories.listRepositories();
      expect(repository).toMatchObject({
        defaultBranch: 'main',
        headCommit: initial,
      });
      expect(
        (
          await repositories.readFile(
            'new-service',
            'paved-road/template',
            'README.md',
          )
        ).toString(),
      ).toBe('# template v2\n');
    });

    it('rejects bad input naming the field and writes nothing', async () => {
      await create();
      const gitDir = `--git-dir=${mockDir.resolve('git/new-service.git')}`;
      const refsBefore = git([gitDir, 'for-each-ref']);
      const commitWith = (overrides: Record<string, unknown>) =>
        repositories.commitDirectory({
          name: 'new-service',
          branch: 'topic',
          sourceDir: mockDir.resolve('template'),
          author,
          message: 'Change',
          ...overrides,
        });
      await expect(commitWith({ branch: 'a..b' })).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^branch /),
      });
      await expect(commitWith({ expectedHead: 'main' })).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^expectedHead /),
      });
      await expect(
        commitWith({ author: { name: 'x', email: 'nope' } }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^author\.email /),
      });
      await expect(
        commitWith({ sourceDir: mockDir.resolve('missing') }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^sourceDir /),
      });
      await expect(commitWith({ name: 'unknown' })).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await expect(
        repositories.createBranch('new-service', '-b', 'main'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^branch /),
      });
      await expect(
        repositories.createBranch('new-service', 'topic', 'main~1'),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^from /),
      });
      await expect(
        repositories.createBranch('unknown', 'topic', 'main'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(git([gitDir, 'for-each-ref'])).toBe(refsBefore);
    });
  });

  it('reads its configuration', () => {
    const fromConfig = LocalGitRepositories.fromConfig(
      new ConfigReader({
        backend: { baseUrl: 'http://backstage.local:7007' },
        pavedRoad: { localGit: { directory: 'some/dir' } },
      }),
    );
    expect(fromConfig.directory).toBe(`${process.cwd()}/some/dir`);
    expect(fromConfig.cloneUrl('x')).toBe(
      'http://backstage.local:7007/api/local-git/x.git',
    );
    const explicit = LocalGitRepositories.fromConfig(
      new ConfigReader({
        backend: { baseUrl: 'http://ignored' },
        pavedRoad: { localGit: { baseUrl: 'https://git.example.com/' } },
      }),
    );
    expect(explicit.directory).toBe(`${process.cwd()}/.data/git`);
    expect(explicit.repoContentsUrl('x', 'release/1.0')).toBe(
      'https://git.example.com/x/raw/release%2F1.0',
    );
  });
});
