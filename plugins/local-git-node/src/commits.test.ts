import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  cleanMessage,
  commitDirectory,
  createBranch,
  initBareRepository,
  resolveCommit,
} from './commits';
import { isolatedGitEnv } from './git';

function git(args: string[]): string {
  return execFileSync('git', args, { env: isolatedGitEnv() }).toString('utf8');
}

const author = { name: 'Jane Doe', email: 'jane@example.com' };

describe('commits', () => {
  const mockDir = createMockDirectory();
  let gitDir: string;
  const log = (...args: string[]) => git([`--git-dir=${gitDir}`, ...args]);

  beforeEach(async () => {
    mockDir.setContent({
      source: {
        a: { 'x.txt': 'in a/\n' },
        'a.txt': 'a dot\n',
        'README.md': '# héllo\n',
        mvnw: '#!/bin/sh\necho maven\n',
        'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]),
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
      next: { 'README.md': '# next\n' },
    });
    fs.chmodSync(mockDir.resolve('source/mvnw'), 0o755);
    fs.symlinkSync('README.md', mockDir.resolve('source/link'));
    gitDir = mockDir.resolve('repo.git');
    await initBareRepository(gitDir, 'main');
  });

  const commit = (
    sourceDir: string,
    options: { branch?: string; expectedHead?: string | null } = {},
  ) =>
    commitDirectory(gitDir, {
      branch: 'main',
      sourceDir: mockDir.resolve(sourceDir),
      author,
      message: `Commit ${sourceDir}`,
      ...options,
    });

  it('commits what git add -A sees: modes, symlinks, binary content, nested ignore rules', async () => {
    const { commitHash, parent, changed } = await commit('source', {
      expectedHead: null,
    });
    expect({ parent, changed }).toEqual({ parent: undefined, changed: true });
    expect(
      log('ls-tree', '-r', '--format=%(objectmode) %(path)', commitHash)
        .trim()
        .split('\n'),
    ).toEqual([
      '100644 .gitignore',
      '100644 README.md',
      '100644 a.txt',
      '100644 a/x.txt',
      '100644 docs/.gitignore',
      '100644 docs/guide.md',
      '100644 keep.log',
      '120000 link',
      '100644 logo.png',
      '100755 mvnw',
    ]);
    expect(
      execFileSync('git', [
        `--git-dir=${gitDir}`,
        'cat-file',
        'blob',
        `${commitHash}:logo.png`,
      ]),
    ).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 0xff]));
    expect(log('cat-file', 'blob', `${commitHash}:link`)).toBe('README.md');
    expect(() => log('fsck', '--strict', '--no-dangling')).not.toThrow();
    expect(log('rev-parse', 'HEAD').trim()).toBe(commitHash);
    // The workspace is left as it was.
    expect(fs.readdirSync(mockDir.resolve('source/.git'))).toEqual(['config']);
  });

  it('records author, committer and the message as git commit cleans it up', async () => {
    const { commitHash } = await commitDirectory(gitDir, {
      branch: 'main',
      sourceDir: mockDir.resolve('source'),
      author,
      message: '\nCreate it  \n\n\n\nPaved-Road-Task: t-1\n\n',
    });
    expect(
      log('log', '-1', '--format=%an <%ae>|%cn <%ce>|%B', commitHash),
    ).toBe(
      'Jane Doe <jane@example.com>|Jane Doe <jane@example.com>|Create it\n\nPaved-Road-Task: t-1\n\n',
    );
    const committedAt = Number(log('log', '-1', '--format=%ct').trim());
    expect(Date.now() / 1000 - committedAt).toBeLessThan(60);
  });

  it('rejects an empty message and writes no commit', async () => {
    await expect(
      commitDirectory(gitDir, {
        branch: 'main',
        sourceDir: mockDir.resolve('source'),
        author,
        message: ' \n\n',
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(await resolveCommit(gitDir, 'refs/heads/main')).toBeUndefined();
  });

  it('commits an empty tree for an empty directory', async () => {
    mockDir.setContent({ source: {} });
    await initBareRepository(gitDir, 'main');
    const { commitHash } = await commit('source');
    expect(log('rev-parse', `${commitHash}^{tree}`).trim()).toBe(
      '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    );
  });

  it('commits onto a branch with its head as the parent, replacing the content', async () => {
    const first = await commit('source');
    const second = await commit('next', { expectedHead: first.commitHash });
    expect(second).toEqual({
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      parent: first.commitHash,
      changed: true,
    });
    expect(log('rev-parse', `${second.commitHash}^`).trim()).toBe(
      first.commitHash,
    );
    expect(log('ls-tree', '--name-only', 'main').trim()).toBe('README.md');
  });

  it('makes no commit when the content equals the head', async () => {
    const first = await commit('source');
    const again = await commit('source');
    expect(again).toEqual({
      commitHash: first.commitHash,
      parent: first.commitHash,
      changed: false,
    });
    expect(log('rev-list', '--all').trim()).toBe(first.commitHash);
  });

  it('refuses a stale expected head and a branch that should not exist yet', async () => {
    const first = await commit('source');
    const second = await commit('next');
    await expect(
      commit('source', { expectedHead: first.commitHash }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: `Branch main is at ${second.commitHash}, not at ${first.commitHash}`,
    });
    await expect(
      commit('source', { expectedHead: null }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'Branch main already exists',
    });
    expect(log('rev-parse', 'main').trim()).toBe(second.commitHash);
  });

  it('never loses a commit when writers race on one branch', async () => {
    const base = await commit('source');
    for (let i = 0; i < 6; i++) {
      mockDir.addContent({ [`writer-${i}`]: { 'file.txt': `writer ${i}\n` } });
    }
    const results = await Promise.allSettled(
      [0, 1, 2, 3, 4, 5].map(i => commit(`writer-${i}`)),
    );
    const landed = results.flatMap(r =>
      r.status === 'fulfilled' ? [r.value.commitHash] : [],
    );
    const failed = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason] : [],
    );
    expect(landed.length).toBeGreaterThan(0);
    for (const reason of failed) {
      expect(reason.name).toBe('ConflictError');
    }
    // Every commit reported as landed is on the branch, in one line.
    const history = log('rev-list', '--first-parent', 'main')
      .trim()
      .split('\n');
    expect(history.sort()).toEqual([base.commitHash, ...landed].sort());
  });

  it('lets exactly one of two writers from the same head land', async () => {
    const base = await commit('source');
    mockDir.addContent({ other: { 'other.txt': 'other\n' } });
    const results = await Promise.allSettled([
      commit('next', { expectedHead: base.commitHash }),
      commit('other', { expectedHead: base.commitHash }),
    ]);
    const landed = results.flatMap(r =>
      r.status === 'fulfilled' ? [r.value.commitHash] : [],
    );
    const failed = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason.name] : [],
    );
    expect(landed).toHaveLength(1);
    expect(failed).toEqual(['ConflictError']);
    expect(log('rev-parse', 'main').trim()).toBe(landed[0]);
    expect(log('rev-parse', 'main^').trim()).toBe(base.commitHash);
  });

  describe('createBranch', () => {
    it('creates a branch at a commit, leaving HEAD alone, and repeats harmlessly', async () => {
      const first = await commit('source');
      const main = await commit('next');
      expect(await createBranch(gitDir, 'upgrade/v2', first.commitHash)).toBe(
        first.commitHash,
      );
      expect(await createBranch(gitDir, 'upgrade/v2', first.commitHash)).toBe(
        first.commitHash,
      );
      expect(log('rev-parse', 'upgrade/v2').trim()).toBe(first.commitHash);
      expect(log('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');

      // A commit onto the new branch builds on it; main stays where it was.
      mockDir.addContent({ 'next/NEW.md': 'new\n' });
      const onBranch = await commit('next', { branch: 'upgrade/v2' });
      expect(onBranch.parent).toBe(first.commitHash);
      expect(log('rev-parse', 'upgrade/v2').trim()).toBe(onBranch.commitHash);
      expect(log('rev-parse', 'main').trim()).toBe(main.commitHash);
    });

    it('refuses a branch that points elsewhere and an unknown start', async () => {
      const first = await commit('source');
      const second = await commit('next');
      await createBranch(gitDir, 'topic', second.commitHash);
      await expect(
        createBranch(gitDir, 'topic', first.commitHash),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(
        createBranch(gitDir, 'other', 'no-such-branch'),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(log('rev-parse', 'topic').trim()).toBe(second.commitHash);
      expect(log('for-each-ref', '--format=%(refname)').trim()).toBe(
        'refs/heads/main\nrefs/heads/topic',
      );
    });
  });
});

describe('cleanMessage', () => {
  it.each([
    'subject',
    '\n\nsubject  \n\n\nbody\t\n\n',
    '  indented subject',
    'a\n\n\n\nb\nc\n\n\nd',
    'trailing \r\nspace\f\v\n',
    ' \n\t\n',
    '',
  ])('cleans %j as git stripspace does', message => {
    expect(cleanMessage(message)).toBe(
      execFileSync('git', ['stripspace'], {
        input: message,
        env: isolatedGitEnv(),
      }).toString('utf8'),
    );
  });
});
