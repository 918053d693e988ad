import childProcess from 'node:child_process';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { commitFiles as commitFilesTo } from './__testUtils__/commitFiles';
import { isolatedGitEnv } from './git';
import { createBranch, initBareRepository, resolveCommit } from './commits';
import {
  commitMessage,
  commitParents,
  diffPatch,
  listTree,
  mergeIntoNewBranch,
  parseMergeTree,
  readBlob,
  resolveRef,
} from './merge';

const author = { name: 'Jane Doe', email: 'jane@example.com' };
const TEMPLATE = 'paved-road/template';
const POM = [
  '<project>',
  '2',
  '3',
  '4',
  '5',
  '6',
  '<version>1.0</version>',
  '8',
];

describe('mergeIntoNewBranch', () => {
  const mockDir = createMockDirectory();
  let gitDir: string;
  const commitFiles = (branch: string, files: Record<string, string>) =>
    commitFilesTo(gitDir, mockDir.path, branch, files);

  const pom = (edits: Record<number, string>) =>
    `${POM.map((line, i) => edits[i + 1] ?? line).join('\n')}\n`;

  // The project as generated: the default branch and the template branch
  // both hold the pristine render.
  const render = {
    'pom.xml': pom({}),
    'README.md': '# service\n',
    'legacy.txt': 'old config\n',
    mvnw: '#!/bin/sh\necho maven\n',
  };

  beforeEach(async () => {
    mockDir.clear();
    gitDir = mockDir.resolve('repo.git');
    await initBareRepository(gitDir, 'main');
    await commitFiles('main', render);
    await createBranch(gitDir, TEMPLATE, 'main');
  });

  const merge = (branch = 'paved-road/upgrade-1.1.0') =>
    mergeIntoNewBranch(gitDir, {
      base: 'main',
      from: TEMPLATE,
      branch,
      author,
      message: 'Upgrade to kotlin-spring-service 1.1.0',
    });

  const file = async (ref: string, path: string) =>
    (await readBlob(gitDir, ref, path))?.toString('utf8');

  it('keeps the team edit and brings the template change, new files and executable bits', async () => {
    const base = await commitFiles('main', {
      ...render,
      'pom.xml': pom({ 1: '<project team="edit">' }),
      'own.txt': 'the team wrote this\n',
    });
    const template = await commitFiles(TEMPLATE, {
      ...render,
      'pom.xml': pom({ 7: '<version>1.1</version>' }),
      'NEW.md': 'new in 1.1.0\n',
      'scripts/run.sh': '#!/bin/sh\necho run\n',
    });

    const result = await merge();

    expect(result).toEqual({
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      created: true,
      conflicts: [],
      changedFiles: [
        { path: 'NEW.md', status: 'A' },
        { path: 'pom.xml', status: 'M' },
        { path: 'scripts/run.sh', status: 'A' },
      ],
    });
    const branch = 'paved-road/upgrade-1.1.0';
    expect(await resolveRef(gitDir, branch)).toBe(result.commitHash);
    expect(await resolveCommit(gitDir, `${result.commitHash}^1`)).toBe(base);
    expect(await resolveCommit(gitDir, `${result.commitHash}^2`)).toBe(
      template,
    );
    expect(await commitParents(gitDir, result.commitHash)).toEqual([
      base,
      template,
    ]);
    expect(await file(branch, 'pom.xml')).toBe(
      pom({ 1: '<project team="edit">', 7: '<version>1.1</version>' }),
    );
    expect(await file(branch, 'own.txt')).toBe('the team wrote this\n');
    expect(await file(branch, 'NEW.md')).toBe('new in 1.1.0\n');
    expect(await listTree(gitDir, branch)).toEqual([
      { path: 'NEW.md', mode: '100644' },
      { path: 'README.md', mode: '100644' },
      { path: 'legacy.txt', mode: '100644' },
      { path: 'mvnw', mode: '100755' },
      { path: 'own.txt', mode: '100644' },
      { path: 'pom.xml', mode: '100644' },
      { path: 'scripts/run.sh', mode: '100755' },
    ]);
    expect(await commitMessage(gitDir, branch)).toBe(
      'Upgrade to kotlin-spring-service 1.1.0\n',
    );
    // The main branch is untouched.
    expect(await resolveRef(gitDir, 'main')).toBe(base);
  });

  it('leaves conflict markers, keeps the modified side of a modify/delete and lists both', async () => {
    const { 'legacy.txt': _deleted, ...withoutLegacy } = render;
    await commitFiles('main', {
      ...withoutLegacy,
      'README.md': '# our service\n',
    });
    await commitFiles(TEMPLATE, {
      ...render,
      'README.md': '# service, now with docs\n',
      'legacy.txt': 'new config\n',
    });

    const result = await merge();

    expect(result.created).toBe(true);
    expect(result.conflicts).toEqual([
      {
        path: 'README.md',
        type: 'content',
        message: 'CONFLICT (content): Merge conflict in README.md',
      },
      {
        path: 'legacy.txt',
        type: 'modify/delete',
        message: expect.stringContaining('legacy.txt deleted in main'),
      },
    ]);
    expect(await file(result.commitHash, 'README.md')).toBe(
      [
        '<<<<<<< main',
        '# our service',
        '=======',
        '# service, now with docs',
        `>>>>>>> ${TEMPLATE}`,
        '',
      ].join('\n'),
    );
    expect(await file(result.commitHash, 'legacy.txt')).toBe('new config\n');
    expect(await commitMessage(gitDir, result.commitHash)).toBe(
      [
        'Upgrade to kotlin-spring-service 1.1.0',
        '',
        'Conflicts (resolve before merging):',
        '\tREADME.md (content)',
        '\tlegacy.txt (modify/delete)',
        '',
      ].join('\n'),
    );
  });

  it('returns the existing merge on a re-run instead of making another', async () => {
    await commitFiles('main', { ...render, 'README.md': '# ours\n' });
    await commitFiles(TEMPLATE, { ...render, 'README.md': '# theirs\n' });
    const first = await merge();

    const again = await merge();

    expect(again).toEqual({ ...first, created: false });
    expect(again.conflicts).toEqual([
      expect.objectContaining({ path: 'README.md', type: 'content' }),
    ]);
  });

  it('refuses a branch of that name that holds anything else', async () => {
    await commitFiles(TEMPLATE, { ...render, 'NEW.md': 'new\n' });
    await createBranch(gitDir, 'paved-road/upgrade-1.1.0', 'main');

    await expect(merge()).rejects.toThrow(ConflictError);
    await expect(merge()).rejects.toThrow(
      /paved-road\/upgrade-1.1.0 already exists/,
    );
    // A newer template head than the one merged is also "elsewhere".
    const done = await merge('paved-road/upgrade-1.1.1');
    await commitFiles(TEMPLATE, { ...render, 'NEW.md': 'newer\n' });
    await expect(merge('paved-road/upgrade-1.1.1')).rejects.toThrow(
      ConflictError,
    );
    expect(await resolveRef(gitDir, 'paved-road/upgrade-1.1.1')).toBe(
      done.commitHash,
    );
  });

  it('redoes the merge once when the default branch moves meanwhile, then gives up', async () => {
    await commitFiles(TEMPLATE, { ...render, 'NEW.md': 'new\n' });
    const moved = await commitFiles('main', { ...render, 'own.txt': 'own\n' });
    const original = await resolveCommit(gitDir, 'main~1');
    const spawn = childProcess.spawn;
    // A push to main lands while merge-tree runs, `times` times.
    const pushDuringMerge = (times: number) => {
      let left = times;
      return jest
        .spyOn(childProcess, 'spawn')
        .mockImplementation((command: any, args: any, options: any) => {
          if (left > 0 && args.includes('merge-tree')) {
            left--;
            const to = left % 2 === 0 ? moved : original!;
            childProcess.execFileSync(
              'git',
              [`--git-dir=${gitDir}`, 'update-ref', 'refs/heads/main', to],
              { env: isolatedGitEnv() },
            );
          }
          return spawn(command, args, options);
        });
    };
    childProcess.execFileSync(
      'git',
      [`--git-dir=${gitDir}`, 'update-ref', 'refs/heads/main', original!],
      { env: isolatedGitEnv() },
    );

    pushDuringMerge(1);
    const result = await merge();
    jest.restoreAllMocks();

    expect(await resolveCommit(gitDir, `${result.commitHash}^1`)).toBe(moved);
    expect(await file(result.commitHash, 'own.txt')).toBe('own\n');

    pushDuringMerge(2);
    await expect(merge('paved-road/upgrade-again')).rejects.toThrow(
      /kept moving/,
    );
    jest.restoreAllMocks();
    expect(
      await resolveRef(gitDir, 'paved-road/upgrade-again'),
    ).toBeUndefined();
  });

  it('rejects a branch name that is not a plain ref', async () => {
    await expect(merge('-delete')).rejects.toThrow(/branch must be a branch/);
    await expect(merge('a..b')).rejects.toThrow(/branch must be a branch/);
  });

  it('reads files, trees and patches, and says what does not exist', async () => {
    await commitFiles(TEMPLATE, { ...render, 'README.md': '# v2\n' });

    expect(await readBlob(gitDir, 'main', 'missing.txt')).toBeUndefined();
    expect(
      await readBlob(gitDir, 'no-such-branch', 'README.md'),
    ).toBeUndefined();
    expect(await resolveRef(gitDir, 'no-such-branch')).toBeUndefined();

    const whole = await diffPatch(gitDir, 'main', TEMPLATE, {
      maxBytes: 1024 * 1024,
    });
    expect(whole.truncated).toBe(false);
    expect(whole.patch).toContain('-# service\n+# v2\n');

    const cut = await diffPatch(gitDir, 'main', TEMPLATE, { maxBytes: 40 });
    expect(cut.truncated).toBe(true);
    expect(cut.patch.length).toBeLessThanOrEqual(40);
    expect(cut.patch.endsWith('\n')).toBe(true);
    expect(whole.patch.startsWith(cut.patch)).toBe(true);
  });
});

describe('parseMergeTree', () => {
  it('types rename, binary and add/add conflicts from what git 2.39 prints', () => {
    // Output of `git merge-tree --write-tree --name-only -z` in scratch repos.
    const out = [
      'ab538bee5620dc8c2ae3b38acb6d345c71397ffb',
      'a.txt',
      'aa.txt',
      'b.bin',
      'b.txt',
      '',
      '3',
      'a.txt',
      'b.txt',
      'c.txt',
      'CONFLICT (rename/rename)',
      'CONFLICT (rename/rename): a.txt renamed to b.txt in main and to c.txt in T.\n',
      '1',
      'aa.txt',
      'CONFLICT (contents)',
      'CONFLICT (add/add): Merge conflict in aa.txt\n',
      '1',
      'b.bin',
      'CONFLICT (binary)',
      'warning: Cannot merge binary files: b.bin (main vs. T)\n',
      '1',
      'b.bin',
      'Auto-merging',
      'Auto-merging b.bin\n',
      '1',
      'b.bin',
      'CONFLICT (contents)',
      'CONFLICT (add/add): Merge conflict in b.bin\n',
      '',
    ].join('\0');

    expect(parseMergeTree(out)).toEqual({
      tree: 'ab538bee5620dc8c2ae3b38acb6d345c71397ffb',
      conflicts: [
        {
          path: 'a.txt',
          type: 'rename',
          message:
            'CONFLICT (rename/rename): a.txt renamed to b.txt in main and to c.txt in T.',
        },
        {
          path: 'aa.txt',
          type: 'add/add',
          message: 'CONFLICT (add/add): Merge conflict in aa.txt',
        },
        {
          path: 'b.bin',
          type: 'binary',
          message: 'warning: Cannot merge binary files: b.bin (main vs. T)',
        },
        {
          path: 'b.txt',
          type: 'rename',
          message:
            'CONFLICT (rename/rename): a.txt renamed to b.txt in main and to c.txt in T.',
        },
      ],
    });
  });

  it('reads a clean merge as just the tree', () => {
    expect(
      parseMergeTree('ab538bee5620dc8c2ae3b38acb6d345c71397ffb\0'),
    ).toEqual({
      tree: 'ab538bee5620dc8c2ae3b38acb6d345c71397ffb',
      conflicts: [],
    });
  });
});
