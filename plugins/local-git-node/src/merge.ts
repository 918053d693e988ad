import { spawn } from 'node:child_process';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { cleanMessage, GitAuthor, resolveCommit } from './commits';
import { GitCommandError, isolatedGitEnv, runGit } from './git';
import { validateAuthor, validateRef, validateRepoPath } from './validation';

/**
 * A file the three-way merge could not settle, from the `CONFLICT (<type>)`
 * messages of `git merge-tree`. Structurally the same as the templates
 * plugin's `MergeConflict`; kept here so git plumbing does not depend on it.
 *
 * @public
 */
export type GitMergeConflict = {
  path: string;
  type: 'content' | 'modify/delete' | 'add/add' | 'rename' | 'binary' | 'other';
  /** git's own words, e.g. `CONFLICT (content): Merge conflict in README.md`. */
  message: string;
};

/**
 * A file that differs between two commits, as `git diff --name-status`
 * lists it (`A`, `M`, `D`, `T`).
 *
 * @public
 */
export type GitChangedFile = { path: string; status: string };

/**
 * Input of {@link mergeIntoNewBranch}.
 *
 * @public
 */
export type MergeIntoNewBranchOptions = {
  /** The branch merged into (the project's default branch); the merge's first parent. */
  base: string;
  /** The branch or commit merged in (the template branch); the merge's second parent. */
  from: string;
  /** The new branch that gets the merge commit; must not exist elsewhere. */
  branch: string;
  /** Author and committer of the merge commit. */
  author: GitAuthor;
  /** Commit message; the conflicted files are appended. */
  message: string;
};

/**
 * Result of {@link mergeIntoNewBranch}.
 *
 * @public
 */
export type MergeIntoNewBranchResult = {
  /** The merge commit at the head of the branch. */
  commitHash: string;
  /** False when the branch already held this merge (a repeated call). */
  created: boolean;
  /** Files left with conflict markers (or one side's version), in git's (path) order. */
  conflicts: GitMergeConflict[];
  /** What the merge changes on `base`. */
  changedFiles: GitChangedFile[];
};

const MIN_GIT_VERSION = [2, 38] as const;
const MERGE_TREE_MAX_BYTES = 64 * 1024 * 1024;
// Of several CONFLICT messages about one path, the most telling one wins.
const RANK: Record<GitMergeConflict['type'], number> = {
  other: 0,
  content: 1,
  'add/add': 2,
  rename: 3,
  'modify/delete': 4,
  binary: 5,
};
let gitVersionCheck: Promise<void> | undefined;

/**
 * Fails with the version found unless git can do `merge-tree --write-tree`
 * (2.38). Asked once per process.
 */
export function assertMergeTreeSupported(): Promise<void> {
  gitVersionCheck ??= runGit(['--version']).then(out => {
    const match = /(\d+)\.(\d+)/.exec(out);
    const [major, minor] = match
      ? [Number(match[1]), Number(match[2])]
      : [0, 0];
    const [needMajor, needMinor] = MIN_GIT_VERSION;
    if (major < needMajor || (major === needMajor && minor < needMinor)) {
      throw new Error(
        `Upgrades need git ${needMajor}.${needMinor} or newer (merge-tree --write-tree); found ${out.trim()}`,
      );
    }
  });
  // A failed check is not cached forever: the next call asks again.
  gitVersionCheck.catch(() => {
    gitVersionCheck = undefined;
  });
  return gitVersionCheck;
}

/**
 * Merges `from` into `base` with git's own three-way merge (`git merge-tree
 * --write-tree`: no work tree, no index) and puts the result on a new branch
 * as a merge commit with the parents `base` and `from`. Conflicts do not
 * stop it: the tree keeps git's conflict markers (for a modify/delete, the
 * side that modified) and they are listed in the result and the message.
 *
 * Safe to repeat: a branch that already holds a merge of this `from` is
 * returned with `created: false`; a branch of that name pointing anywhere
 * else is a ConflictError. If `base` or `from` moves while merging, the
 * merge is redone once, then it is a ConflictError.
 *
 * @public
 */
export async function mergeIntoNewBranch(
  gitDir: string,
  options: MergeIntoNewBranchOptions,
): Promise<MergeIntoNewBranchResult> {
  const base = validateRef(options.base, 'base');
  const from = validateRef(options.from, 'from');
  const branch = validateRef(options.branch, 'branch');
  const author = validateAuthor(options.author);
  const ref = `refs/heads/${branch}`;
  await assertMergeTreeSupported();

  const existing = await resolveCommit(gitDir, ref);
  if (existing) {
    return existingMerge(gitDir, branch, existing, await headOf(gitDir, from));
  }

  let merge: { baseHead: string; fromHead: string; tree: string } | undefined;
  let conflicts: GitMergeConflict[] = [];
  for (let attempt = 0; attempt < 2 && !merge; attempt++) {
    const [baseHead, fromHead] = await Promise.all([
      headOf(gitDir, base),
      headOf(gitDir, from),
    ]);
    // Names rather than ids: git labels the conflict markers with them.
    const result = await mergeTree(gitDir, base, from);
    const [baseAfter, fromAfter] = await Promise.all([
      headOf(gitDir, base),
      headOf(gitDir, from),
    ]);
    if (baseAfter === baseHead && fromAfter === fromHead) {
      merge = { baseHead, fromHead, tree: result.tree };
      conflicts = result.conflicts;
    }
  }
  if (!merge) {
    throw new ConflictError(
      `${base} or ${from} kept moving while merging; try again`,
    );
  }

  const commitHash = (
    await runGit(
      [
        `--git-dir=${gitDir}`,
        'commit-tree',
        merge.tree,
        '-p',
        merge.baseHead,
        '-p',
        merge.fromHead,
        '-F',
        '-',
      ],
      {
        input: mergeMessage(options.message, conflicts),
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
        },
      },
    )
  ).trim();

  try {
    // The empty old value: create only, never move someone's branch.
    await runGit([`--git-dir=${gitDir}`, 'update-ref', ref, commitHash, '']);
  } catch (error) {
    if (
      error instanceof GitCommandError &&
      /cannot lock ref/.test(error.stderr)
    ) {
      // Someone made the branch meanwhile, maybe a concurrent run of this merge.
      const winner = await resolveCommit(gitDir, ref);
      if (winner) {
        return existingMerge(gitDir, branch, winner, merge.fromHead);
      }
    }
    throw error;
  }

  return {
    commitHash,
    created: true,
    conflicts,
    changedFiles: await changedFiles(gitDir, merge.baseHead, commitHash),
  };
}

/**
 * The content of `path` at `ref` (a branch, tag or commit id); undefined
 * when the ref or the file does not exist.
 *
 * @public
 */
export async function readBlob(
  gitDir: string,
  ref: string,
  path: string,
): Promise<Buffer | undefined> {
  validateRef(ref);
  validateRepoPath(path);
  try {
    return await runGit(
      [`--git-dir=${gitDir}`, 'cat-file', 'blob', `${ref}:${path}`],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    // 128: no such ref, no such path, or not a file.
    if (error instanceof GitCommandError && error.exitCode === 128) {
      return undefined;
    }
    throw error;
  }
}

/**
 * Every file at `ref`, recursively, with its mode as git prints it
 * (`100644`, `100755`, `120000` for a symlink, `160000` for a submodule).
 * NotFoundError for an unknown ref.
 *
 * @public
 */
export async function listTree(
  gitDir: string,
  ref: string,
): Promise<{ path: string; mode: string }[]> {
  const commit = await headOf(gitDir, validateRef(ref));
  const out = await runGit(
    [`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', '--full-tree', commit],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // `<mode> <type> <object>\t<path>`
  return out
    .split('\0')
    .filter(Boolean)
    .map(entry => {
      const tab = entry.indexOf('\t');
      return {
        mode: entry.slice(0, entry.indexOf(' ')),
        path: entry.slice(tab + 1),
      };
    });
}

/**
 * The commit a branch, tag or commit id names; undefined when none.
 *
 * @public
 */
export function resolveRef(
  gitDir: string,
  ref: string,
): Promise<string | undefined> {
  return resolveCommit(gitDir, validateRef(ref));
}

/**
 * The parents of a commit, first parent first (none for a root commit).
 *
 * @public
 */
export async function commitParents(
  gitDir: string,
  commit: string,
): Promise<string[]> {
  const out = await runGit([
    `--git-dir=${gitDir}`,
    'rev-list',
    '--parents',
    '-n',
    '1',
    validateRef(commit),
    '--',
  ]);
  return out.trim().split(/\s+/).slice(1);
}

/**
 * The patch from `base` to `head` (`git diff base head`), cut at the last
 * whole line within `maxBytes`; `truncated` says whether it was cut.
 *
 * @public
 */
export async function diffPatch(
  gitDir: string,
  base: string,
  head: string,
  options: { maxBytes: number },
): Promise<{ patch: string; truncated: boolean }> {
  const [baseCommit, headCommit] = await Promise.all([
    headOf(gitDir, validateRef(base, 'base')),
    headOf(gitDir, validateRef(head, 'head')),
  ]);
  // diff-tree is plumbing: no pager, colour or external diff from any config.
  const { output, truncated } = await readCapped(
    [`--git-dir=${gitDir}`, 'diff-tree', '-p', '-r', baseCommit, headCommit],
    options.maxBytes,
  );
  const lastNewline = output.lastIndexOf(0x0a);
  const kept =
    truncated && lastNewline >= 0
      ? output.subarray(0, lastNewline + 1)
      : output;
  return { patch: kept.toString('utf8'), truncated };
}

/**
 * The full message of a commit.
 *
 * @public
 */
export async function commitMessage(
  gitDir: string,
  commit: string,
): Promise<string> {
  const id = await headOf(gitDir, validateRef(commit, 'commit'));
  const raw = await runGit([`--git-dir=${gitDir}`, 'cat-file', 'commit', id]);
  // Headers, a blank line, then the message.
  const start = raw.indexOf('\n\n');
  return start < 0 ? '' : raw.slice(start + 2);
}

async function headOf(gitDir: string, ref: string): Promise<string> {
  const commit = await resolveCommit(gitDir, ref);
  if (!commit) {
    throw new NotFoundError(`${ref} is not a branch, tag or commit`);
  }
  return commit;
}

/**
 * The branch exists. It is this merge repeated when its second parent is
 * `fromHead`; its conflicts are recomputed from its own parents.
 */
async function existingMerge(
  gitDir: string,
  branch: string,
  commit: string,
  fromHead: string,
): Promise<MergeIntoNewBranchResult> {
  const [first, second] = await Promise.all([
    resolveCommit(gitDir, `${commit}^1`),
    resolveCommit(gitDir, `${commit}^2`),
  ]);
  if (!first || second !== fromHead) {
    throw new ConflictError(
      `Branch ${branch} already exists and is not a merge of ${fromHead}`,
    );
  }
  const [{ conflicts }, changed] = await Promise.all([
    mergeTree(gitDir, first, second),
    changedFiles(gitDir, first, commit),
  ]);
  return {
    commitHash: commit,
    created: false,
    conflicts,
    changedFiles: changed,
  };
}

/** `git merge-tree --write-tree`: the merged tree and its conflicts. */
async function mergeTree(
  gitDir: string,
  base: string,
  from: string,
): Promise<{ tree: string; conflicts: GitMergeConflict[] }> {
  // readCapped, not runGit: exit 1 (conflicts) comes with the output we need.
  const { output, truncated } = await readCapped(
    [
      `--git-dir=${gitDir}`,
      'merge-tree',
      '--write-tree',
      '--name-only',
      '-z',
      '--end-of-options',
      base,
      from,
    ],
    MERGE_TREE_MAX_BYTES,
  );
  if (truncated) {
    throw new Error(
      `git merge-tree printed more than ${MERGE_TREE_MAX_BYTES} bytes of conflicts`,
    );
  }
  return parseMergeTree(output.toString('utf8'));
}

/**
 * Parses `merge-tree --write-tree --name-only -z`: `<tree>\0`, the
 * conflicted paths each ending in `\0` and an empty entry, then messages
 * `<n>\0<path>\0…<type>\0<text>\0`. A conflicted path gets the type of the
 * most telling CONFLICT message naming it (binary over modify/delete over
 * rename over add/add over content), `other` without one.
 */
export function parseMergeTree(out: string): {
  tree: string;
  conflicts: GitMergeConflict[];
} {
  const fields = out.split('\0');
  const tree = fields[0];
  let i = 1;
  const conflicted: string[] = [];
  // Only a merge with conflicts prints the path list and messages.
  while (i < fields.length && fields[i] !== '') {
    conflicted.push(fields[i++]);
  }
  i++;
  const byPath = new Map<string, GitMergeConflict>();
  while (i < fields.length) {
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || fields[i] === '') break;
    const paths = fields.slice(i + 1, i + 1 + count);
    const type = fields[i + 1 + count] ?? '';
    const message = (fields[i + 2 + count] ?? '').trim();
    i += 3 + count;
    const kind = conflictKind(type, message);
    if (!kind) continue;
    for (const path of paths) {
      const known = byPath.get(path);
      if (!known || RANK[kind] > RANK[known.type]) {
        byPath.set(path, { path, type: kind, message });
      }
    }
  }
  const conflicts = conflicted.map(
    path =>
      byPath.get(path) ?? {
        path,
        type: 'other' as const,
        message: `CONFLICT: ${path} could not be merged`,
      },
  );
  return { tree, conflicts };
}

// The type field says `CONFLICT (contents)` for an add/add as well; the
// message's own `CONFLICT (add/add):` is the finer one.
function conflictKind(
  type: string,
  message: string,
): GitMergeConflict['type'] | undefined {
  if (!type.startsWith('CONFLICT')) {
    return undefined;
  }
  const detail = /^CONFLICT \(([^)]+)\)/.exec(message)?.[1] ?? '';
  const kind = `${type} ${detail}`;
  if (/binary/.test(kind)) return 'binary';
  if (/modify\/delete/.test(kind)) return 'modify/delete';
  if (/rename/.test(kind)) return 'rename';
  if (/add\/add/.test(kind)) return 'add/add';
  if (/content/.test(kind)) return 'content';
  return 'other';
}

function mergeMessage(message: string, conflicts: GitMergeConflict[]): string {
  const text = cleanMessage(message);
  if (!text) {
    throw new InputError('message must not be empty');
  }
  if (conflicts.length === 0) {
    return text;
  }
  return cleanMessage(
    `${text}\nConflicts (resolve before merging):\n${conflicts
      .map(c => `\t${c.path} (${c.type})`)
      .join('\n')}`,
  );
}

async function changedFiles(
  gitDir: string,
  from: string,
  to: string,
): Promise<GitChangedFile[]> {
  const out = await runGit(
    [
      `--git-dir=${gitDir}`,
      'diff-tree',
      '-r',
      '-z',
      '--no-renames',
      '--name-status',
      from,
      to,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const fields = out.split('\0');
  const files: GitChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    files.push({ status: fields[i], path: fields[i + 1] });
  }
  return files;
}

/**
 * Runs git and keeps at most `maxBytes` of stdout, stopping git once that
 * is reached. For output that may be cut (a patch) or that git prints
 * along with exit code 1 (merge-tree's conflicts); runGit keeps neither.
 */
function readCapped(
  args: string[],
  maxBytes: number,
): Promise<{ output: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      env: isolatedGitEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        child.kill();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', code => {
      // 1 is merge-tree's "conflicts"; more is a failure. The error names
      // the subcommand, as runGit's do, not the --git-dir before it.
      if (!truncated && code !== 0 && code !== 1) {
        reject(new GitCommandError(args.slice(1), code, stderr));
        return;
      }
      resolve({ output: Buffer.concat(chunks), truncated });
    });
  });
}
