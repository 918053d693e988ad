import fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { GitCommandError, runGit } from './git';
import { writeInitialCommit } from './initialCommit';
import { validateRef, validateRepoName, validateRepoPath } from './validation';

/** The trailer that ties an initial commit to the task that made it. */
export const TASK_TRAILER = 'Paved-Road-Task';

const DEFAULT_DIRECTORY = '.data/git';
const READ_FILE_MAX_BYTES = 32 * 1024 * 1024;

/**
 * A commit author (and committer).
 *
 * @public
 */
export type GitAuthor = { name: string; email: string };

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
 * Bare git repositories in one directory: `<directory>/<name>.git`. Every
 * state lives on disk and every write is a single atomic rename, so any
 * number of instances (scaffolder module, backend plugin) can share the
 * directory.
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
    const sourceDir = resolve(options.sourceDir);
    const sourceStat = await fs.stat(sourceDir).catch(() => null);
    if (!sourceStat?.isDirectory()) {
      throw new InputError(`sourceDir ${sourceDir} is not a directory`);
    }

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
    const commit = await writeInitialCommit({
      gitDir: dir,
      sourceDir: options.sourceDir,
      branch: options.defaultBranch,
      author: options.author,
      message: options.message,
    });
    if (options.description) {
      await fs.writeFile(
        join(dir, 'description'),
        `${options.description.replace(/[\r\n]+/g, ' ').trim()}\n`,
      );
    }
    return commit;
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

function isValidName(name: string): boolean {
  try {
    validateRepoName(name);
    return true;
  } catch {
    return false;
  }
}

// git would silently strip or reject these; fail with the field named.
function validateAuthor(author: GitAuthor): GitAuthor {
  const bad = /[<>\r\n\0]/;
  if (!author?.name?.trim() || bad.test(author.name)) {
    throw new InputError(
      'author.name must be a non-empty single line without < or >',
    );
  }
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(author?.email ?? '')) {
    throw new InputError(
      `author.email must be an e-mail address; got ${JSON.stringify(
        author?.email,
      )}`,
    );
  }
  return { name: author.name.trim(), email: author.email };
}
