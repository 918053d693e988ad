import { ConflictError } from '@backstage/errors';
import {
  GitCommandError,
  LocalGitRepositories,
  validateRepoPath,
} from '@paved-road/plugin-local-git-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { git } from './git';
import {
  CommitInfo,
  FileUpdate,
  FileWriteResult,
  RepositoryFile,
  ResolvedRef,
  SettingsRepository,
} from './SettingsRepository';

// Fields of `git log --format`, separated by NUL; the body comes last.
const LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%aI%x00%B';
// Starts each commit of a multi-commit log (ASCII record separator).
const RECORD_START = '%x1e';

/**
 * A repository of the embedded default's local git hosting. It writes with
 * git's plumbing straight into the bare repository (no clone): one blob, one
 * tree, one commit, then `update-ref` with the old head as the expected
 * value, which is git's own compare-and-swap: of two concurrent writers from
 * the same head exactly one moves the branch.
 */
export class LocalGitSettingsRepository implements SettingsRepository {
  readonly writeMode = 'commit';
  readonly url: string;
  readonly cloneUrl: string;
  private readonly gitDir: string;

  constructor(
    private readonly repositories: LocalGitRepositories,
    private readonly name: string,
  ) {
    this.url = repositories.cloneUrl(name);
    this.cloneUrl = this.url;
    this.gitDir = `--git-dir=${repositories.repositoryPath(name)}`;
  }

  async readFile(path: string): Promise<RepositoryFile | undefined> {
    const branch = await this.defaultBranch();
    return this.readFileAt(path, `refs/heads/${branch}`);
  }

  async readFileAt(
    path: string,
    sha: string,
  ): Promise<RepositoryFile | undefined> {
    validateRepoPath(path);
    const log = await git([
      this.gitDir,
      'log',
      '-1',
      `--format=${LOG_FORMAT}`,
      '--end-of-options',
      sha,
      '--',
      path,
    ]);
    if (!log.trim()) {
      return undefined;
    }
    const commit = this.parseCommit(log, path);
    const content = await this.contentAt(commit.sha, path);
    return content === undefined ? undefined : { content, commit };
  }

  async resolveRef(ref: string | undefined): Promise<ResolvedRef | undefined> {
    const defaultBranch = await this.defaultBranch();
    return this.resolveRevision(
      ref ?? `refs/heads/${defaultBranch}`,
      defaultBranch,
    );
  }

  async resolveBranch(branch: string): Promise<ResolvedRef | undefined> {
    return this.resolveRevision(
      `refs/heads/${branch}`,
      await this.defaultBranch(),
    );
  }

  private async resolveRevision(
    revision: string,
    defaultBranch: string,
  ): Promise<ResolvedRef | undefined> {
    let sha: string;
    try {
      // --end-of-options: a ref is never read as an option.
      sha = (
        await git([
          this.gitDir,
          'rev-parse',
          '--verify',
          '--quiet',
          '--end-of-options',
          `${revision}^{commit}`,
        ])
      ).trim();
    } catch (error) {
      // --verify --quiet exits 1 for a name that is not a commit; 128 for
      // one git cannot parse.
      if (error instanceof GitCommandError && error.exitCode !== null) {
        return undefined;
      }
      throw error;
    }
    const committedAt = (
      await git([this.gitDir, 'log', '-1', '--format=%cI', sha])
    ).trim();
    return {
      sha,
      committedAt: new Date(committedAt).toISOString(),
      defaultBranch,
    };
  }

  async readFileHistory(
    path: string,
    options: { limit: number },
  ): Promise<RepositoryFile[]> {
    validateRepoPath(path);
    const branch = await this.defaultBranch();
    // -n picks the newest commits, --reverse then lists them oldest first
    const log = await git([
      this.gitDir,
      'log',
      '--reverse',
      `-n${options.limit}`,
      `--format=${RECORD_START}${LOG_FORMAT}`,
      `refs/heads/${branch}`,
      '--',
      path,
    ]);
    const files: RepositoryFile[] = [];
    for (const record of log.split('\x1e').filter(r => r.trim())) {
      const commit = this.parseCommit(record, path);
      const content = await this.contentAt(commit.sha, path);
      if (content !== undefined) {
        files.push({ content, commit });
      }
    }
    return files;
  }

  /** The file as that commit has it; undefined when the commit deleted it. */
  private async contentAt(
    sha: string,
    path: string,
  ): Promise<string | undefined> {
    return git([this.gitDir, 'cat-file', 'blob', `${sha}:${path}`]).catch(
      error => {
        if (error instanceof GitCommandError && error.exitCode === 128) {
          return undefined;
        }
        throw error;
      },
    );
  }

  async updateFile(update: FileUpdate): Promise<FileWriteResult> {
    const path = validateRepoPath(update.path);
    const branch = await this.defaultBranch();
    const ref = `refs/heads/${branch}`;
    const head = (
      await git([this.gitDir, 'rev-parse', '--verify', ref])
    ).trim();

    const entry = (
      await git([this.gitDir, 'ls-tree', head, '--', path])
    ).trim();
    const [mode, type] = entry.split(/\s+/);
    if (type !== 'blob') {
      throw new ConflictError(`${path} is not a file in ${this.name}`);
    }
    const current = await git([
      this.gitDir,
      'cat-file',
      'blob',
      `${head}:${path}`,
    ]);
    const next = update.edit(current);
    if (next === current) {
      return { mode: 'unchanged' };
    }

    const blob = (
      await git([this.gitDir, 'hash-object', '-w', '--stdin'], { input: next })
    ).trim();
    // A throwaway index: the bare repository has none, and concurrent
    // writers must not share one.
    const tmp = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-index-'));
    try {
      const env = { GIT_INDEX_FILE: join(tmp, 'index') };
      await git([this.gitDir, 'read-tree', head], { env });
      await git(
        [this.gitDir, 'update-index', '--cacheinfo', `${mode},${blob},${path}`],
        { env },
      );
      const tree = (await git([this.gitDir, 'write-tree'], { env })).trim();
      const { name, email } = update.author;
      const commit = (
        await git([this.gitDir, 'commit-tree', tree, '-p', head, '-F', '-'], {
          input: update.message,
          env: {
            GIT_AUTHOR_NAME: name,
            GIT_AUTHOR_EMAIL: email,
            GIT_COMMITTER_NAME: name,
            GIT_COMMITTER_EMAIL: email,
          },
        })
      ).trim();
      try {
        await git([this.gitDir, 'update-ref', ref, commit, head]);
      } catch (error) {
        throw new ConflictError(
          `${this.name} changed while writing ${path}; try again`,
        );
      }
      return {
        mode: 'commit',
        commit: { sha: commit, url: this.fileUrl(commit, path) },
      };
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  }

  /** Local repositories have no archived state; the catalog shows it instead. */
  async setArchived(): Promise<void> {}

  /** The file at that commit, served raw by the local git hosting. */
  private fileUrl(sha: string, path: string): string {
    return `${this.repositories.baseUrl}/${this.name}/raw/${sha}/${path}`;
  }

  private async defaultBranch(): Promise<string> {
    const head = await git([this.gitDir, 'symbolic-ref', '--short', 'HEAD']);
    return head.trim();
  }

  private parseCommit(log: string, path: string): CommitInfo {
    const [sha, parents, name, email, date, ...body] = log.split('\0');
    return {
      sha,
      url: this.fileUrl(sha, path),
      message: body.join('\0').trim(),
      author: { name, email },
      date: new Date(date).toISOString(),
      isRoot: parents.trim() === '',
    };
  }
}
