import { ConflictError, NotFoundError } from '@backstage/errors';
import { Octokit } from '@octokit/rest';
import {
  CommitInfo,
  FileUpdate,
  FileWriteResult,
  RepositoryFile,
  ResolvedRef,
  SettingsRepository,
} from './SettingsRepository';

function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown })?.status;
  return typeof value === 'number' ? value : undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

type ContentFile = { sha: string; content: string };

type ListedCommit = Awaited<
  ReturnType<Octokit['repos']['listCommits']>
>['data'][number];

function toCommitInfo(listed: ListedCommit): CommitInfo {
  return {
    sha: listed.sha,
    url: listed.html_url,
    message: listed.commit.message,
    author: {
      name: listed.commit.author?.name ?? listed.author?.login ?? 'unknown',
      email: listed.commit.author?.email ?? '',
    },
    date: new Date(
      listed.commit.author?.date ?? listed.commit.committer?.date ?? 0,
    ).toISOString(),
    isRoot: listed.parents.length === 0,
  };
}

/**
 * A repository on GitHub (or GitHub Enterprise), through its REST API.
 * `commit` mode updates the file on the default branch with the contents
 * API, passing the blob sha it read so GitHub refuses (409) when the file
 * changed in between; `pull-request` mode commits to a new branch and opens a
 * pull request, and the version appears once the sync sees it merged.
 */
export class GithubSettingsRepository implements SettingsRepository {
  readonly url: string;
  readonly cloneUrl: string;
  readonly githubSlug: string;
  private readonly repoParams: { owner: string; repo: string };

  constructor(
    private readonly octokit: Octokit,
    options: {
      owner: string;
      repo: string;
      /** e.g. https://github.com/acme/orders */
      url: string;
      writeMode: 'commit' | 'pull-request';
    },
  ) {
    this.repoParams = { owner: options.owner, repo: options.repo };
    this.url = options.url;
    this.cloneUrl = `${options.url}.git`;
    this.githubSlug = `${options.owner}/${options.repo}`;
    this.writeMode = options.writeMode;
  }

  readonly writeMode: 'commit' | 'pull-request';

  async readFile(path: string): Promise<RepositoryFile | undefined> {
    return this.readFileAt(path, await this.defaultBranch());
  }

  async readFileAt(
    path: string,
    sha: string,
  ): Promise<RepositoryFile | undefined> {
    const { data: commits } = await this.octokit.repos.listCommits({
      ...this.repoParams,
      sha,
      path,
      per_page: 1,
    });
    if (commits.length === 0) {
      return undefined;
    }
    const file = await this.getContent(path, commits[0].sha);
    if (!file) {
      return undefined;
    }
    return { content: file.content, commit: toCommitInfo(commits[0]) };
  }

  async resolveRef(ref: string | undefined): Promise<ResolvedRef | undefined> {
    const defaultBranch = await this.defaultBranch();
    try {
      const { data } = await this.octokit.repos.getCommit({
        ...this.repoParams,
        ref: ref ?? defaultBranch,
        per_page: 1,
      });
      const date = data.commit.committer?.date ?? data.commit.author?.date;
      return {
        sha: data.sha,
        committedAt: new Date(date ?? 0).toISOString(),
        defaultBranch,
      };
    } catch (error) {
      // 404: no such commit; 422: not a name GitHub can resolve.
      if (status(error) === 404 || status(error) === 422) {
        return undefined;
      }
      throw error;
    }
  }

  async resolveBranch(branch: string): Promise<ResolvedRef | undefined> {
    let sha: string;
    try {
      // refs/heads only: the commits API would also take a tag or a sha.
      const { data } = await this.octokit.git.getRef({
        ...this.repoParams,
        ref: `heads/${branch}`,
      });
      sha = data.object.sha;
    } catch (error) {
      if (status(error) === 404) {
        return undefined;
      }
      throw error;
    }
    return this.resolveRef(sha);
  }

  async readFileHistory(
    path: string,
    options: { limit: number },
  ): Promise<RepositoryFile[]> {
    const branch = await this.defaultBranch();
    // Newest first, page by page, until the limit or the last page
    const perPage = Math.min(options.limit, 100);
    const commits: ListedCommit[] = [];
    for (let page = 1; commits.length < options.limit; page++) {
      const { data } = await this.octokit.repos.listCommits({
        ...this.repoParams,
        sha: branch,
        path,
        per_page: perPage,
        page,
      });
      commits.push(...data);
      if (data.length < perPage) {
        break;
      }
    }
    const files: RepositoryFile[] = [];
    for (const listed of commits.slice(0, options.limit).reverse()) {
      const file = await this.getContent(path, listed.sha);
      // Not there: that commit deleted it
      if (file) {
        files.push({ content: file.content, commit: toCommitInfo(listed) });
      }
    }
    return files;
  }

  async updateFile(update: FileUpdate): Promise<FileWriteResult> {
    const mode = update.mode ?? this.writeMode;
    const base = await this.defaultBranch();

    let branch = base;
    let ref = base;
    if (mode === 'pull-request') {
      const { data } = await this.octokit.git.getRef({
        ...this.repoParams,
        ref: `heads/${base}`,
      });
      ref = data.object.sha;
    }

    const current = await this.getContent(update.path, ref);
    if (!current) {
      throw new NotFoundError(
        `${update.path} not found in ${this.repoParams.owner}/${this.repoParams.repo}`,
      );
    }
    const next = update.edit(current.content);
    if (next === current.content) {
      return { mode: 'unchanged' };
    }

    if (mode === 'pull-request') {
      branch = `paved-road/settings-${Date.now().toString(36)}`;
      await this.octokit.git.createRef({
        ...this.repoParams,
        ref: `refs/heads/${branch}`,
        sha: ref,
      });
    }

    let commit: { sha?: string; html_url?: string };
    try {
      const { data } = await this.octokit.repos.createOrUpdateFileContents({
        ...this.repoParams,
        path: update.path,
        branch,
        message: update.message,
        content: Buffer.from(next, 'utf8').toString('base64'),
        sha: current.sha,
        author: update.author,
        committer: update.author,
      });
      commit = data.commit;
    } catch (error) {
      // 409: the blob sha no longer matches the branch.
      if (status(error) === 409) {
        throw new ConflictError(
          `${update.path} changed on GitHub while writing; try again`,
        );
      }
      throw error;
    }

    if (mode === 'commit') {
      if (!commit.sha) {
        throw new Error('GitHub did not return the new commit');
      }
      return {
        mode: 'commit',
        commit: { sha: commit.sha, url: commit.html_url ?? null },
      };
    }

    const { data: pull } = await this.octokit.pulls.create({
      ...this.repoParams,
      title: firstLine(update.message),
      head: branch,
      base,
      body: `${update.message}\n\nOpened by Paved Road.`,
    });
    return { mode: 'pull-request', pullRequestUrl: pull.html_url };
  }

  async setArchived(archived: boolean): Promise<void> {
    await this.octokit.repos.update({ ...this.repoParams, archived });
  }

  private async defaultBranch(): Promise<string> {
    const { data } = await this.octokit.repos.get(this.repoParams);
    return data.default_branch;
  }

  private async getContent(
    path: string,
    ref: string,
  ): Promise<ContentFile | undefined> {
    try {
      const { data } = await this.octokit.repos.getContent({
        ...this.repoParams,
        path,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
        return undefined;
      }
      return {
        sha: data.sha,
        content: Buffer.from(data.content, 'base64').toString('utf8'),
      };
    } catch (error) {
      if (status(error) === 404) {
        return undefined;
      }
      throw error;
    }
  }
}
