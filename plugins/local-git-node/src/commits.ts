import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { GitCommandError, runGit } from './git';

/**
 * A commit author (and committer).
 *
 * @public
 */
export type GitAuthor = { name: string; email: string };

/**
 * Creates an empty bare repository whose HEAD names `branch`, without
 * sample hooks or a placeholder description (`--template=`).
 */
export async function initBareRepository(
  gitDir: string,
  branch: string,
): Promise<void> {
  await runGit([
    'init',
    '--quiet',
    '--bare',
    `--initial-branch=${branch}`,
    '--template=',
    gitDir,
  ]);
}

/**
 * Commits the content of `sourceDir` as the next commit of `branch`: its
 * tree is what `git add -A` makes of the directory (`.gitignore` files
 * honoured, executable bits and symlinks kept, `.git` left out), whatever
 * the branch held before. The branch moves by compare-and-swap
 * (`update-ref <ref> <new> <old>`), so of two writers starting from the
 * same head exactly one lands and the other gets a ConflictError: a
 * commit is never lost.
 *
 * `expectedHead` is the head the caller based the content on: a commit id,
 * or `null` for a branch that must not exist yet. Without it the branch's
 * current head (none for a new branch) is the parent. Content equal to the
 * parent's makes no commit (`changed: false`), so repeating a commit is
 * harmless.
 */
export async function commitDirectory(
  gitDir: string,
  options: {
    branch: string;
    sourceDir: string;
    author: GitAuthor;
    message: string;
    expectedHead?: string | null;
  },
): Promise<{ commitHash: string; parent?: string; changed: boolean }> {
  const { branch, author, expectedHead } = options;
  const git = `--git-dir=${gitDir}`;
  const message = cleanMessage(options.message);
  if (!message) {
    throw new InputError('message must not be empty');
  }
  const [head, tree] = await Promise.all([
    // A branch that must not exist needs no look-up: update-ref checks.
    expectedHead === null ? undefined : branchHead(gitDir, branch),
    writeTree(gitDir, options.sourceDir),
  ]);
  if (expectedHead && head?.commit !== expectedHead) {
    throw new ConflictError(
      `Branch ${branch} is at ${
        head?.commit ?? 'nothing'
      }, not at ${expectedHead}`,
    );
  }
  const parent = head?.commit;
  if (head?.tree === tree) {
    return { commitHash: head.commit, parent, changed: false };
  }
  const commitHash = (
    await runGit(
      [git, 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'],
      {
        input: message,
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      },
    )
  ).trim();
  await moveBranch(gitDir, branch, commitHash, parent);
  return { commitHash, parent, changed: true };
}

/**
 * Creates `branch` at the commit `from` (a branch, tag or commit id). A
 * branch that already points there is fine (a repeated call); one that
 * points elsewhere is a ConflictError, an unknown `from` a NotFoundError.
 */
export async function createBranch(
  gitDir: string,
  branch: string,
  from: string,
): Promise<string> {
  const commit = await resolveCommit(gitDir, from);
  if (!commit) {
    throw new NotFoundError(`${from} is not a commit`);
  }
  try {
    await moveBranch(gitDir, branch, commit, undefined);
  } catch (error) {
    if (
      error instanceof ConflictError &&
      (await resolveCommit(gitDir, `refs/heads/${branch}`)) === commit
    ) {
      return commit;
    }
    throw error;
  }
  return commit;
}

/** The commit a revision names, or undefined when it names none. */
export async function resolveCommit(
  gitDir: string,
  revision: string,
): Promise<string | undefined> {
  try {
    const out = await runGit([
      `--git-dir=${gitDir}`,
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${revision}^{commit}`,
    ]);
    return out.trim();
  } catch (error) {
    // --verify --quiet exits 1 for a name that is not a commit.
    if (error instanceof GitCommandError && error.exitCode === 1) {
      return undefined;
    }
    throw error;
  }
}

/** The commit a branch points at and its tree; undefined for no branch. */
async function branchHead(
  gitDir: string,
  branch: string,
): Promise<{ commit: string; tree: string } | undefined> {
  const out = await runGit([
    `--git-dir=${gitDir}`,
    'for-each-ref',
    '--format=%(objectname) %(tree)',
    `refs/heads/${branch}`,
  ]);
  const [commit, tree] = out.trim().split(' ');
  return commit ? { commit, tree } : undefined;
}

/**
 * `git add -A` of `sourceDir` into a fresh index of our own (the bare
 * repository has none, and concurrent writers must not share one), then
 * `git write-tree`. The workspace never gets a `.git`.
 */
async function writeTree(gitDir: string, sourceDir: string): Promise<string> {
  const tmp = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(tmp, 'index') };
    await runGit(
      [
        // Streams every blob into one pack instead of a loose object per
        // file: about a third less time for a few hundred files.
        '-c',
        'core.bigFileThreshold=1',
        `--git-dir=${gitDir}`,
        `--work-tree=${sourceDir}`,
        'add',
        '--all',
      ],
      { env },
    );
    return (
      await runGit([`--git-dir=${gitDir}`, 'write-tree'], { env })
    ).trim();
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Points `branch` at `commit` if it is still at `expected` (undefined: if
 * it does not exist yet). git's own compare-and-swap; a ref that moved or
 * is locked by another writer at this moment is a ConflictError.
 */
export async function moveBranch(
  gitDir: string,
  branch: string,
  commit: string,
  expected: string | undefined,
): Promise<void> {
  try {
    await runGit([
      `--git-dir=${gitDir}`,
      'update-ref',
      `refs/heads/${branch}`,
      commit,
      expected ?? '',
    ]);
  } catch (error) {
    if (
      error instanceof GitCommandError &&
      /cannot lock ref/.test(error.stderr)
    ) {
      throw new ConflictError(
        expected
          ? `Branch ${branch} moved on while committing; nothing was written to it, try again`
          : `Branch ${branch} already exists`,
      );
    }
    throw error;
  }
}

/**
 * What `git commit` does to a message (cleanup mode "whitespace", as
 * `git stripspace`): trailing whitespace and surrounding blank lines go,
 * runs of blank lines become one, and it ends in a newline. Whitespace is
 * git's: space, tab and CR. In process because starting `git stripspace`
 * costs ~10 ms of every commit.
 */
export function cleanMessage(message: string): string {
  const lines = message.split('\n').map(line => line.replace(/[ \t\r]+$/, ''));
  const kept = lines.filter(
    (line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''),
  );
  while (kept[0] === '') kept.shift();
  while (kept[kept.length - 1] === '') kept.pop();
  return kept.length > 0 ? `${kept.join('\n')}\n` : '';
}
