import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { GitCommandError, runGit } from './git';
import { validateRef } from './validation';

/**
 * A branch to move on the remote, from `expectedOld` (a commit id, or
 * `null`: the branch must not exist yet).
 *
 * @public
 */
export type RemoteRefUpdate = {
  /** A branch name (`paved-road/template`) or a full ref (`refs/heads/…`). */
  ref: string;
  commit: string;
  expectedOld: string | null;
};

/**
 * Options of {@link TemporaryClone.fetch}.
 *
 * @public
 */
export type TemporaryCloneOptions = {
  /** The remote: an `https://` URL, or a path or `file://` URL (tests). */
  url: string;
  /**
   * Branches to fetch; those the remote does not have are skipped. An entry
   * ending in `*` fetches every branch starting with what precedes it
   * (`paved-road/*`).
   */
  branches: string[];
  /**
   * An HTTP token (GitHub: an installation token or a PAT). Passed to git
   * only through its environment, never on the command line, in the URL or
   * in a file.
   */
  token?: string;
};

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A few branches of a remote repository fetched into a temporary bare
 * repository, to commit and merge in with the plumbing of `merge.ts`, then
 * push back atomically with a lease on every ref. No work tree, no
 * checkout: a fetch of only the branches an upgrade needs.
 *
 * @public
 */
export class TemporaryClone {
  /** The temporary bare repository. */
  readonly gitDir: string;
  readonly #url: string;
  readonly #env: Record<string, string>;
  #disposed = false;

  /**
   * Creates the temporary repository and fetches `branches` into it as
   * `refs/heads/<branch>`. A branch the remote lacks is not fetched (see it
   * with `resolveRef`); a remote that cannot be read fails and leaves
   * nothing behind.
   */
  static async fetch(options: TemporaryCloneOptions): Promise<TemporaryClone> {
    const url = validateUrl(options.url);
    const branches = options.branches.map(validateBranchPattern);
    const env = authEnv(url, options.token);
    const dir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-clone-'));
    const clone = new TemporaryClone(join(dir, 'repo.git'), url, env);
    try {
      await runGit(['init', '--quiet', '--bare', '--template=', clone.gitDir]);
      const present = await clone.remoteBranches(branches);
      if (present.length > 0) {
        await runGit(
          [
            `--git-dir=${clone.gitDir}`,
            'fetch',
            '--quiet',
            '--no-tags',
            '--no-write-fetch-head',
            '--end-of-options',
            url,
            ...present.map(b => `+refs/heads/${b}:refs/heads/${b}`),
          ],
          { env },
        );
      }
    } catch (error) {
      await clone.dispose();
      throw error;
    }
    return clone;
  }

  private constructor(
    gitDir: string,
    url: string,
    env: Record<string, string>,
  ) {
    this.gitDir = gitDir;
    this.#url = url;
    this.#env = env;
  }

  /**
   * Pushes all `updates` in one atomic push, each with a lease on its
   * `expectedOld`: either every ref moves or none does. A ref that is not
   * where it was expected is a ConflictError.
   */
  async push(updates: RemoteRefUpdate[]): Promise<void> {
    if (updates.length === 0) {
      return;
    }
    const args = updates.flatMap(update => {
      const ref = fullRef(update.ref);
      if (!COMMIT.test(update.commit)) {
        throw new InputError(
          `commit must be a full commit id; got ${JSON.stringify(
            update.commit,
          )}`,
        );
      }
      if (update.expectedOld !== null && !COMMIT.test(update.expectedOld)) {
        throw new InputError(
          `expectedOld must be a full commit id or null; got ${JSON.stringify(
            update.expectedOld,
          )}`,
        );
      }
      return {
        // An empty expected value: the ref must not exist yet.
        lease: `--force-with-lease=${ref}:${update.expectedOld ?? ''}`,
        refspec: `${update.commit}:${ref}`,
      };
    });
    try {
      await runGit(
        [
          `--git-dir=${this.gitDir}`,
          'push',
          '--quiet',
          '--atomic',
          '--no-verify',
          ...args.map(a => a.lease),
          '--end-of-options',
          this.#url,
          ...args.map(a => a.refspec),
        ],
        { env: this.#env },
      );
    } catch (error) {
      throw pushError(error, updates);
    }
  }

  /** Removes the temporary repository; safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await fs.rm(join(this.gitDir, '..'), { recursive: true, force: true });
  }

  /** The remote's branches that `patterns` name. */
  private async remoteBranches(patterns: string[]): Promise<string[]> {
    if (patterns.length === 0) return [];
    const out = await runGit(
      [
        `--git-dir=${this.gitDir}`,
        'ls-remote',
        '--heads',
        '--end-of-options',
        this.#url,
        ...patterns.map(p => `refs/heads/${p}`),
      ],
      { env: this.#env },
    );
    // ls-remote matches patterns against the tail of a ref: keep exact ones.
    const found = out
      .split('\n')
      .filter(Boolean)
      .map(line => line.slice(line.indexOf('\t') + 1))
      .filter(ref => ref.startsWith('refs/heads/'))
      .map(ref => ref.slice('refs/heads/'.length));
    return found.filter(branch =>
      patterns.some(p =>
        p.endsWith('*') ? branch.startsWith(p.slice(0, -1)) : branch === p,
      ),
    );
  }
}

/** A branch name, or a branch-name prefix followed by `*`. */
function validateBranchPattern(pattern: string): string {
  if (pattern.endsWith('*')) {
    // Checked as a name with something in place of the star.
    validateRef(`${pattern.slice(0, -1)}x`, 'branches');
    return pattern;
  }
  return validateRef(pattern, 'branches');
}

function validateUrl(url: string): string {
  if (typeof url !== 'string' || url === '' || url.startsWith('-')) {
    throw new InputError(
      `url must be a repository URL; got ${JSON.stringify(url)}`,
    );
  }
  if (/^https?:/i.test(url) && new URL(url).password) {
    // The token belongs in the environment; a URL ends up in error messages.
    throw new InputError('url must not hold credentials');
  }
  return url;
}

/**
 * The token as an HTTP header for this host only, through git's
 * environment-borne config (`GIT_CONFIG_COUNT`, git 2.31+): unlike argv it
 * is not visible to other users in `ps`, and unlike a URL it never shows
 * up in git's error messages.
 */
function authEnv(url: string, token?: string): Record<string, string> {
  if (!token || !/^https?:/i.test(url)) {
    return {};
  }
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${new URL(url).origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}

function fullRef(ref: string): string {
  const branch = ref.startsWith('refs/heads/')
    ? ref.slice('refs/heads/'.length)
    : ref;
  return `refs/heads/${validateRef(branch, 'ref')}`;
}

// git's words for a ref that is not where the lease expected it, and the
// ones GitHub uses to refuse a token without the workflow permission.
function pushError(error: unknown, updates: RemoteRefUpdate[]): unknown {
  if (!(error instanceof GitCommandError)) {
    return error;
  }
  const refs = updates.map(u => fullRef(u.ref)).join(', ');
  if (
    /stale info|fetch first|non-fast-forward|already exists/.test(error.stderr)
  ) {
    return new ConflictError(
      `The remote moved on while upgrading (${refs}); nothing was pushed, try again`,
    );
  }
  if (
    /workflow/i.test(error.stderr) &&
    /refusing|permission|scope/i.test(error.stderr)
  ) {
    return new NotAllowedError(
      'The push changes .github/workflows, which needs the workflows: write permission (GitHub App) or the workflow scope (token); nothing was pushed',
    );
  }
  return error;
}
