import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { isolatedGitEnv } from './git';
import { cleanMessage, writeInitialCommit } from './initialCommit';

function git(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, { env: isolatedGitEnv(env) }).toString(
    'utf8',
  );
}

const author = { name: 'Jane Doe', email: 'jane@example.com' };

describe('writeInitialCommit', () => {
  const mockDir = createMockDirectory();

  beforeEach(() => {
    mockDir.setContent({
      source: {
        // Names that sort differently as files and as trees.
        a: { 'x.txt': 'in a/\n' },
        'a.txt': 'a dot\n',
        'a-b': 'a dash\n',
        'README.md': '# héllo\n',
        mvnw: '#!/bin/sh\necho maven\n',
        'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]),
        // Large enough to be deflated off the event loop.
        assets: { 'big.bin': Buffer.alloc(200_000, 'paved-road') },
        '.gitignore': 'target/\n*.log\n!keep.log\n',
        'keep.log': 'kept by negation\n',
        'debug.log': 'ignored\n',
        target: { 'app.jar': 'ignored\n' },
        empty: {},
        docs: {
          '.gitignore': '*.tmp\n!*.md\n',
          'guide.md': 'guide\n',
          'draft.tmp': 'ignored\n',
          nested: { 'more.log': 'ignored by the root rule\n' },
        },
        '.git': { config: 'not part of the content\n' },
      },
    });
    fs.chmodSync(mockDir.resolve('source/mvnw'), 0o755);
    fs.symlinkSync('README.md', mockDir.resolve('source/link'));
  });

  const write = () =>
    writeInitialCommit({
      gitDir: mockDir.resolve('repo.git'),
      sourceDir: mockDir.resolve('source'),
      branch: 'main',
      author,
      message: 'Create it  \n\n\n\nPaved-Road-Task: t-1\n\n',
      date: new Date('2026-11-22T10:00:00Z'),
    });

  it('writes the tree git add -A would, as a valid bare repository', async () => {
    const commit = await write();
    const gitDir = `--git-dir=${mockDir.resolve('repo.git')}`;

    // The reference: git itself, over the same directory, with a scratch index.
    const scratch = mockDir.resolve('scratch.git');
    git(['init', '--quiet', '--bare', scratch]);
    const worktree = [
      `--git-dir=${scratch}`,
      `--work-tree=${mockDir.resolve('source')}`,
    ];
    git([...worktree, 'add', '-A']);
    const expectedTree = git([...worktree, 'write-tree']).trim();

    expect(git([gitDir, 'rev-parse', `${commit}^{tree}`]).trim()).toBe(
      expectedTree,
    );
    expect(() =>
      git([gitDir, 'fsck', '--strict', '--no-dangling']),
    ).not.toThrow();
    expect(git([gitDir, 'symbolic-ref', 'HEAD']).trim()).toBe(
      'refs/heads/main',
    );
    expect(git([gitDir, 'rev-parse', 'HEAD']).trim()).toBe(commit);
    expect(git([gitDir, 'config', 'http.receivepack']).trim()).toBe('false');
    expect(git([gitDir, 'config', 'core.bare']).trim()).toBe('true');
  });

  it('keeps modes, symlinks, binary content and skips what git skips', async () => {
    const commit = await write();
    const gitDir = `--git-dir=${mockDir.resolve('repo.git')}`;
    const listing = git([
      gitDir,
      'ls-tree',
      '-r',
      '--format=%(objectmode) %(path)',
      commit,
    ]);
    expect(listing.trim().split('\n')).toEqual([
      '100644 .gitignore',
      '100644 README.md',
      '100644 a-b',
      '100644 a.txt',
      '100644 a/x.txt',
      '100644 assets/big.bin',
      '100644 docs/.gitignore',
      '100644 docs/guide.md',
      '100644 keep.log',
      '120000 link',
      '100644 logo.png',
      '100755 mvnw',
    ]);
    expect(
      execFileSync('git', [gitDir, 'cat-file', 'blob', `${commit}:logo.png`]),
    ).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]));
    expect(git([gitDir, 'cat-file', 'blob', `${commit}:link`])).toBe(
      'README.md',
    );
  });

  it('records author, committer, date and the cleaned-up message', async () => {
    const commit = await write();
    const gitDir = `--git-dir=${mockDir.resolve('repo.git')}`;
    expect(
      git([gitDir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>|%at|%B', commit]),
    ).toBe(
      `Jane Doe <jane@example.com>|Jane Doe <jane@example.com>|${
        Date.parse('2026-11-22T10:00:00Z') / 1000
      }|Create it\n\nPaved-Road-Task: t-1\n\n`,
    );
    expect(
      git([
        gitDir,
        'log',
        '-1',
        '--format=%(trailers:key=Paved-Road-Task,valueonly=true)',
      ]).trim(),
    ).toBe('t-1');
  });

  it('commits an empty tree for an empty directory, like git commit --allow-empty', async () => {
    mockDir.setContent({ source: {} });
    const commit = await write();
    expect(
      git([
        `--git-dir=${mockDir.resolve('repo.git')}`,
        'rev-parse',
        `${commit}^{tree}`,
      ]).trim(),
    ).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });
});

describe('cleanMessage', () => {
  it.each([
    ['subject', 'subject\n'],
    ['\n\nsubject  \n\n\nbody\t\n\n', 'subject\n\nbody\n'],
    ['  indented subject', '  indented subject\n'],
    ['a\n\n\n\nb\nc\n\n\nd', 'a\n\nb\nc\n\nd\n'],
  ])('%j becomes %j', (input, expected) => {
    expect(cleanMessage(input)).toBe(expected);
  });
});
