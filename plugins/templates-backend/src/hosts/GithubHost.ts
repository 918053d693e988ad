import { GithubCredentialsProvider } from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { TemporaryClone } from '@paved-road/plugin-local-git-node';
import { ProjectHost, ProjectRepository } from './ProjectHost';

/** Everything an upgrade commits lives on branches under this prefix. */
const UPGRADE_BRANCHES = 'paved-road/*';

function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown })?.status;
  return typeof value === 'number' ? value : undefined;
}

/** Options of {@link GithubHost}. */
export type GithubHostOptions = {
  owner: string;
  repo: string;
  /** The integration's API base; Octokit's default is `https://api.github.com`. */
  apiBaseUrl?: string;
  /** The repository's web URL, `https://<host>/<owner>/<repo>`: asks the credentials for it. */
  url: string;
  credentials: GithubCredentialsProvider;
  /**
   * Where git fetches from and pushes to instead of the repository's
   * `clone_url`: a local bare repository in tests.
   */
  remoteUrl?: string;
};

/**
 * A project on GitHub (or GitHub Enterprise). The upgrade fetches the
 * default branch and the `paved-road/*` branches into a temporary bare
 * repository, commits and merges there with git, and pushes the branches
 * back in one atomic push with leases; the REST API (Octokit) only reads
 * the repository and opens or updates the pull request.
 */
export class GithubHost implements ProjectHost {
  readonly kind = 'github';

  constructor(private readonly options: GithubHostOptions) {}

  async open(): Promise<ProjectRepository> {
    const { owner, repo } = this.options;
    const { octokit, token } = await this.client();
    const { data } = await octokit.repos.get({ owner, repo });
    const defaultBranch = data.default_branch;
    const clone = await TemporaryClone.fetch({
      url: this.options.remoteUrl ?? data.clone_url,
      branches: [defaultBranch, UPGRADE_BRANCHES],
      token,
    });
    return {
      gitDir: clone.gitDir,
      defaultBranch,
      cloneUrl: data.clone_url,
      publish: updates => clone.push(updates),
      openOrUpdatePullRequest: request =>
        this.openOrUpdatePullRequest(octokit, defaultBranch, request),
      compareUrl: branch =>
        `${data.html_url}/compare/${defaultBranch}...${branch}`,
      dispose: () => clone.dispose(),
    };
  }

  async readFile(path: string, branch?: string): Promise<Buffer | undefined> {
    const { owner, repo } = this.options;
    const { octokit } = await this.client();
    let data;
    try {
      ({ data } = await octokit.repos.getContent({
        owner,
        repo,
        path,
        // Without a ref GitHub reads the default branch.
        ...(branch ? { ref: branch } : {}),
      }));
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
    if (Array.isArray(data) || data.type !== 'file') {
      return undefined;
    }
    if (data.encoding === 'base64') {
      return Buffer.from(data.content, 'base64');
    }
    // Files over 1 MB come without content; the blob API has them.
    const blob = await octokit.git.getBlob({ owner, repo, file_sha: data.sha });
    return Buffer.from(blob.data.content, 'base64');
  }

  /**
   * The open pull request from `branch` gets the new body; without one a
   * pull request is opened. GitHub's 422 for a duplicate (one opened
   * between the look-up and the create) falls back to updating it.
   */
  private async openOrUpdatePullRequest(
    octokit: Octokit,
    base: string,
    request: { branch: string; title: string; body: string },
  ): Promise<string> {
    const { owner, repo } = this.options;
    const update = async () => {
      const { data: open } = await octokit.pulls.list({
        owner,
        repo,
        head: `${owner}:${request.branch}`,
        state: 'open',
      });
      if (open.length === 0) return undefined;
      const { data } = await octokit.pulls.update({
        owner,
        repo,
        pull_number: open[0].number,
        body: request.body,
      });
      return data.html_url;
    };
    const updated = await update();
    if (updated) return updated;
    try {
      const { data } = await octokit.pulls.create({
        owner,
        repo,
        head: request.branch,
        base,
        title: request.title,
        body: request.body,
      });
      return data.html_url;
    } catch (error) {
      if (status(error) === 422) {
        const raced = await update();
        if (raced) return raced;
      }
      throw error;
    }
  }

  /** A client with a fresh token: installation tokens expire after an hour. */
  private async client(): Promise<{ octokit: Octokit; token?: string }> {
    // The token stays in the client and git's environment: never logged or returned.
    const { token } = await this.options.credentials.getCredentials({
      url: this.options.url,
    });
    return {
      octokit: new Octokit({ auth: token, baseUrl: this.options.apiBaseUrl }),
      token,
    };
  }
}
