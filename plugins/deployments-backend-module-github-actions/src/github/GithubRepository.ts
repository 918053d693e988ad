import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { createOctokit } from './octokit';

/** One GitHub repository and a client allowed to act on it. */
export interface GithubRepository {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** e.g. `https://github.com/acme/orders`, for links in log lines. */
  htmlUrl: string;
}

/**
 * Clients for GitHub repositories, with the credentials of the
 * `integrations.github` entry of their host (a GitHub App or a token).
 */
export class GithubRepositories {
  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      credentials: GithubCredentialsProvider;
      /** Milliseconds per second of a rate-limit wait; tests shrink it. */
      secondMs?: number;
    },
  ) {}

  /**
   * The repository `owner/name` on the GitHub host of `url` (a clone or
   * web URL). Throws saying what is missing when no integration covers it.
   */
  open(
    url: string,
    slug: string,
    onWait: (message: string) => void,
  ): GithubRepository {
    const integration = this.options.integrations.github.byUrl(url);
    if (!integration) {
      throw new Error(
        `No integrations.github entry covers ${
          new URL(url).host
        }: the github-actions provider needs one for the repository's host`,
      );
    }
    const [owner, repo] = slug.split('/');
    if (!owner || !repo) {
      throw new Error(`${slug} is not a GitHub owner/name`);
    }
    const { host, apiBaseUrl } = integration.config;
    const htmlUrl = `https://${host}/${owner}/${repo}`;
    const octokit = createOctokit({
      baseUrl: apiBaseUrl ?? 'https://api.github.com',
      // The provider caches and renews them (GitHub App tokens last an hour).
      credentials: () =>
        this.options.credentials.getCredentials({ url: htmlUrl }),
      onWait,
      secondMs: this.options.secondMs,
    });
    return { octokit, owner, repo, htmlUrl };
  }
}
