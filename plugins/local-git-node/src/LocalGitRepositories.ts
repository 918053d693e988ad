import fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  commitDirectory,
  createBranch,
  GitAuthor,
  initBareRepository,
} from './commits';
import { GitCommandError, runGit } from './git';
import {
  validateAuthor,
  validateRef,
  validateRepoName,
  validateRepoPath,
} from './validation';

/** The trailer that ties an initial commit to the task that made it. */
export const TASK_TRAILER = 'Paved-Road-Task';

const DEFAULT_DIRECTORY = '.data/git';
const READ_FILE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Input of {@link LocalGitRepositories.createRepository}.
 *
 * @public
 */
export type CreateRepositoryOptions = {
  /** Repository name, see `validateRepoName`. */
  name: string;
  /** Directory whose content becomes the initial commit. */
  sourceDir: string;
  author: GitAuthor;
  /** Commit message; the task trailer is appended. */
  message?: string;
  /** Written to the repository's `description` file. */
  description?: string;
  /** Id of the scaffolder task; a retry of the same task is recognised by it. */
  taskId: string;
  /** @defaultValue main */
  defaultBranch?: string;
};

/**
 * Result of {@link LocalGitRepositories.createRepository}. Plain JSON, so it
 * can be stored in a scaffolder checkpoint.
 *
 * @public
 */
export type CreateRepositoryResult = {
  name: string;
  /** `git clone` URL, `<baseUrl>/<name>.git`. */
  cloneUrl: string;
  /** Raw content base, `<baseUrl>/<name>/raw/<branch>`. */
  repoContentsUrl: string;
  /** The initial commit. */
  commitHash: string;
  defaultBranch: string;
};

/**
 * Input of {@link LocalGitRepositories.commitDirectory}.
 *
 * @public
 */
export type CommitDirectoryOptions = {
  /** Repository name. */
  name: string;
  /** Branch to commit onto; created (with a root commit) if missing. */
  branch: string;
  /** Directory whose content becomes the commit's whole tree, as `git add -A` sees it. */
  sourceDir: string;
  author: GitAuthor;
  /** Commit message, cleaned up as `git commit` does; must not be empty. */
  message: string;
  /**
   * The branch head the content is based on (a full commit id), or `null`
   * for a branch that must not exist yet; a branch elsewhere is a
   * ConflictError. Without it the current head is the parent.
   */
  expectedHead?: string | null;
};

/**
 * Result of {@link LocalGitRepositories.commitDirectory}.
 *
 * @public
 */
export type CommitDirectoryResult = {
  /** The new commit; the unchanged head when `changed` is false. */
  commitHash: string;
  /** The commit it follows; undefined for the first commit of the branch. */
  parent?: string;
  /** False when the content equalled the parent's and nothing was committed. */
  changed: boolean;
};

/**
 * One hosted repository.
 *
 * @public
 */
export type LocalGitRepository = {
  name: string;
  cloneUrl: string;
  defaultBranch: string;
  headCommit: string;
  /** Committer date of the initial commit, ISO 8601. */
  createdAt: string;
};

/**
 * Bare git repositories in one directory: `<directory>/<name>.git`, written
 * by the `git` binary. Every state lives on disk, a new repository appears
 * by one atomic rename and a branch moves only by git's compare-and-swap,
 * so any number of instances (scaffolder module, backend plugin) can share
 * the directory.
 *
 * @public
 */
export class LocalGitRepositories {
  readonly directory: string;
  readonly baseUrl: string;

  /**
   * Reads `pavedRoad.localGit.directory` (relative paths resolve against the
   * working directory, default `.data/git`) and `pavedRoad.localGit.baseUrl`
   * (default `<backend.baseUrl>/api/local-git`).
   */
  static fromConfig(config: Config): LocalGitRepositories {
    const directory =
      config.getOptionalString('pavedRoad.localGit.directory') ??
      DEFAULT_DIRECTORY;
    const baseUrl =
      config.getOptionalString('pavedRoad.localGit.baseUrl') ??
      `${
        config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007'
      }/api/local-git`;
    return new LocalGitRepositories({ directory, baseUrl });
  }

  constructor(options: { directory: string; baseUrl: string }) {
    this.directory = resolve(options.directory);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  cloneUrl(name: string): string {
    return `${this.baseUrl}/${validateRepoName(name)}.git`;
  }

  /** Base URL of the raw files of a branch; append `/<path>`. */
  repoContentsUrl(name: string, branch: string): string {
    // encodeURIComponent: a branch such as release/1.0 stays one segment.
    return `${this.baseUrl}/${validateRepoName(name)}/raw/${encodeURIComponent(
      validateRef(branch, 'defaultBranch'),
    )}`;
  }

  /** Absolute path of a repository's bare directory, which may not exist. */
  repositoryPath(name: string): string {
    // The name check already excludes `/`; this is the belt to its braces.
    return resolveSafeChildPath(
      this.directory,
      `${validateRepoName(name)}.git`,
    );
  }

  async exists(name: string): Promise<boolean> {
    const stat = await fs.stat(this.repositoryPath(name)).catch(() => null);
    return Boolean(stat?.isDirectory());
  }

  /**
   * Creates `<name>.git` holding one commit with the content of `sourceDir`.
   * Safe to repeat: when the repository already exists and its initial commit
   * was made by the same task, that result is returned and nothing is
   * written; when it was made by anything else, a ConflictError is thrown.
   */
  async createRepository(
    options: CreateRepositoryOptions,
  ): Promise<CreateRepositoryResult> {
    const name = validateRepoName(options.name);
    const defaultBranch = validateRef(
      options.defaultBranch ?? 'main',
      'defaultBranch',
    );
    const author = validateAuthor(options.author);
    const taskId = options.taskId;
    if (!taskId || /[\r\n]/.test(taskId)) {
      throw new InputError('taskId must be a non-empty single line');
    }
    const sourceDir = await existingDirectory(options.sourceDir);

    const target = this.repositoryPath(name);
    if (await this.exists(name)) {
      return this.existingResult(name, taskId);
    }

    await fs.mkdir(this.directory, { recursive: true });
    // Built beside the target, invisible to listings (leading dot), then
    // renamed into place: rename(2) onto a non-empty directory fails, so of
    // two concurrent creations exactly one wins and nobody ever sees a
    // half-written repository.
    const tmp = await fs.mkdtemp(join(this.directory, `.tmp-${name}-`));
    let commitHash: string;
    try {
      commitHash = await this.buildRepository(tmp, {
        sourceDir,
        author,
        defaultBranch,
        description: options.description,
        message: `${
          options.message?.trim() || 'Initial commit'
        }\n\n${TASK_TRAILER}: ${taskId}\n`,
      });
    } catch (error) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw error;
    }

    try {
      await fs.rename(tmp, target);
    } catch (error) {
      await fs.rm(tmp, { recursive: true, force: true });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        // Lost the race; the winner may be a concurrent run of this task.
        return this.existingResult(name, taskId);
      }
      throw error;
    }

    return {
      name,
      cloneUrl: this.cloneUrl(name),
      repoContentsUrl: this.repoContentsUrl(name, defaultBranch),
      commitHash,
      defaultBranch,
    };
  }

  /**
   * Commits the content of `sourceDir` as the next commit of `branch` of an
   * existing repository (see {@link CommitDirectoryOptions}). The branch
   * moves by compare-and-swap: of concurrent writers from the same head one
   * lands and the others get a ConflictError, so no commit is lost. Content
   * equal to the head's commits nothing. NotFoundError for an unknown
   * repository.
   */
  async commitDirectory(
    options: CommitDirectoryOptions,
  ): Promise<CommitDirectoryResult> {
    const name = validateRepoName(options.name);
    const branch = validateRef(options.branch, 'branch');
    const author = validateAuthor(options.author);
    const { expectedHead } = options;
    if (
      expectedHead !== undefined &&
      expectedHead !== null &&
      !/^[0-9a-f]{40}$/.test(expectedHead)
    ) {
      throw new InputError(
        `expectedHead must be a full commit id or null; got ${JSON.stringify(
          expectedHead,
        )}`,
      );
    }
    const sourceDir = await existingDirectory(options.sourceDir);
    await this.assertExists(name);
    return commitDirectory(this.repositoryPath(name), {
      branch,
      sourceDir,
      author,
      message: options.message ?? '',
      expectedHead,
    });
  }

  /**
   * Creates `branch` at `from` (a branch, tag or commit id) and returns the
   * commit. Repeating it is fine; a branch of that name elsewhere is a
   * ConflictError, an unknown repository or `from` a NotFoundError.
   */
  async createBranch(
    name: string,
    branch: string,
    from: string,
  ): Promise<string> {
    validateRepoName(name);
    validateRef(branch, 'branch');
    validateRef(from, 'from');
    await this.assertExists(name);
    return createBranch(this.repositoryPath(name), branch, from);
  }

  /** All repositories, sorted by name. */
  async listRepositories(): Promise<LocalGitRepository[]> {
    const entries = await fs
      .readdir(this.directory, { withFileTypes: true })
      .catch(error => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
    const names = entries
      .filter(e => e.isDirectory() && e.name.endsWith('.git'))
      .map(e => e.name.slice(0, -'.git'.length))
      .filter(isValidName)
      .sort();

    const repositories: LocalGitRepository[] = [];
    // A few at a time: each one costs three short git processes.
    for (let i = 0; i < names.length; i += 8) {
      const batch = await Promise.all(
        names.slice(i, i + 8).map(n => this.describe(n).catch(() => undefined)),
      );
      repositories.push(
        ...batch.filter((r): r is LocalGitRepository => Boolean(r)),
      );
    }
    return repositories;
  }

  /** One repository; NotFoundError when it does not exist. */
  async getRepository(name: string): Promise<LocalGitRepository> {
    await this.assertExists(name);
    return this.describe(name);
  }

  /**
   * The content of a file at a branch, tag or commit. NotFoundError when the
   * repository, the ref or the file does not exist.
   */
  async readFile(name: string, ref: string, path: string): Promise<Buffer> {
    validateRepoName(name);
    validateRef(ref);
    validateRepoPath(path);
    await this.assertExists(name);
    try {
      return await runGit(
        [
          `--git-dir=${this.repositoryPath(name)}`,
          'cat-file',
          'blob',
          `${ref}:${path}`,
        ],
        { encoding: 'buffer', maxBuffer: READ_FILE_MAX_BYTES },
      );
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 128) {
        throw new NotFoundError(`${path} not found at ${ref} in ${name}`);
      }
      throw error;
    }
  }

  private async assertExists(name: string) {
    if (!(await this.exists(name))) {
      throw new NotFoundError(`Repository ${name} not found`);
    }
  }

  private async buildRepository(
    dir: string,
    options: {
      sourceDir: string;
      author: GitAuthor;
      defaultBranch: string;
      description?: string;
      message: string;
    },
  ): Promise<string> {
    await initBareRepository(dir, options.defaultBranch);
    // Read-only, even if someone serves the directory with another git
    // server. Appended to the config git init just wrote rather than run
    // as `git config` (a process start): nobody sees this directory yet.
    await fs.appendFile(join(dir, 'config'), '[http]\n\treceivepack = false\n');
    if (options.description) {
      await fs.writeFile(
        join(dir, 'description'),
        `${options.description.replace(/[\r\n]+/g, ' ').trim()}\n`,
      );
    }
    const { commitHash } = await commitDirectory(dir, {
      branch: options.defaultBranch,
      sourceDir: options.sourceDir,
      author: options.author,
      message: options.message,
      expectedHead: null,
    });
    return commitHash;
  }

  // A repository that already exists: same task -> its earlier result;
  // anything else -> conflict.
  private async existingResult(
    name: string,
    taskId: string,
  ): Promise<CreateRepositoryResult> {
    const gitDir = `--git-dir=${this.repositoryPath(name)}`;
    const branch = await this.headBranch(name).catch(() => undefined);
    const root = branch
      ? await runGit([
          gitDir,
          'rev-list',
          '--max-parents=0',
          `refs/heads/${branch}`,
        ])
          .then(out => out.trim().split('\n').pop())
          .catch(() => undefined)
      : undefined;
    const trailer = root
      ? (
          await runGit([
            gitDir,
            'log',
            '-1',
            `--format=%(trailers:key=${TASK_TRAILER},valueonly=true)`,
            root,
          ])
        ).trim()
      : undefined;
    if (!branch || !root || trailer !== taskId) {
      throw new ConflictError(`Repository ${name} already exists`);
    }
    return {
      name,
      cloneUrl: this.cloneUrl(name),
      repoContentsUrl: this.repoContentsUrl(name, branch),
      commitHash: root,
      defaultBranch: branch,
    };
  }

  private async headBranch(name: string): Promise<string> {
    const ref = await runGit([
      `--git-dir=${this.repositoryPath(name)}`,
      'symbolic-ref',
      '--short',
      'HEAD',
    ]);
    return ref.trim();
  }

  private async describe(name: string): Promise<LocalGitRepository> {
    const gitDir = `--git-dir=${this.repositoryPath(name)}`;
    const [defaultBranch, headCommit, roots] = await Promise.all([
      this.headBranch(name),
      runGit([gitDir, 'rev-parse', '--verify', 'HEAD']),
      runGit([gitDir, 'log', '--max-parents=0', '--format=%cI', 'HEAD']),
    ]);
    return {
      name,
      cloneUrl: this.cloneUrl(name),
      defaultBranch,
      headCommit: headCommit.trim(),
      createdAt: new Date(roots.trim().split('\n').pop()!).toISOString(),
    };
  }
}

async function existingDirectory(dir: string): Promise<string> {
  const sourceDir = resolve(dir);
  const stat = await fs.stat(sourceDir).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new InputError(`sourceDir ${sourceDir} is not a directory`);
  }
  return sourceDir;
}

function isValidName(name: string): boolean {
  try {
    validateRepoName(name);
    return true;
  } catch {
    return false;
  }
}
