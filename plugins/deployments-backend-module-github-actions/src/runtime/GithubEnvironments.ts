import { AuthService } from '@backstage/backend-plugin-api';
import { ANNOTATION_LOCATION } from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { RuntimeState } from '@paved-road/plugin-deployments-node';
import {
  GithubRepositories,
  GithubRepository,
} from '../github/GithubRepository';

/** Deployments of an environment read per runtime answer (newest first). */
const DEPLOYMENTS_READ = 10;
/** GitHub is asked at most once per entity and environment in this time. */
const DEFAULT_CACHE_TTL_MS = 30_000;

/**
 * The entity's repository on GitHub, from `backstage.io/managed-by-location`
 * (set by the catalog, unlike `source-location`, which the entity's author
 * writes and could point at another team's repository).
 */
export function githubLocationOf(
  annotations: Record<string, string> | undefined,
  integrations: ScmIntegrationRegistry,
): { url: string; slug: string } | undefined {
  const match = annotations?.[ANNOTATION_LOCATION]?.match(/^url:(.+)$/);
  if (!match || !integrations.github.byUrl(match[1])) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(match[1]);
  } catch {
    return undefined;
  }
  const [owner, repo] = url.pathname.split('/').filter(Boolean);
  if (!owner || !repo) {
    return undefined;
  }
  return {
    url: `${url.origin}/${owner}/${repo.replace(/\.git$/, '')}`,
    slug: `${owner}/${repo.replace(/\.git$/, '')}`,
  };
}

/**
 * What runs where, for GitHub: the environment's deployments in GitHub's
 * Deployments API, which GitHub Actions records for a job with an
 * `environment`. The instances themselves run on the cluster the workflow
 * deploys to, which the portal does not see.
 */
export class GithubEnvironments {
  private readonly cache = new Map<
    string,
    { until: number; state: Promise<RuntimeState> }
  >();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      integrations: ScmIntegrationRegistry;
      repositories: GithubRepositories;
      onRateLimit: (message: string) => void;
      cacheTtlMs?: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  /** The serving deployment's `environment_url`; no instances. Cached briefly. */
  runtime(entityRef: string, environment: string): Promise<RuntimeState> {
    const key = `${entityRef}\n${environment}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) {
      return cached.state;
    }
    const state = this.read(entityRef, environment);
    this.cache.set(key, {
      until: this.now() + (this.options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS),
      state,
    });
    // A failure is not remembered.
    state.catch(() => this.cache.delete(key));
    return state;
  }

  /** Drops what is cached, e.g. after a deployment ended. */
  forget(entityRef: string, environment: string) {
    this.cache.delete(`${entityRef}\n${environment}`);
  }

  /**
   * Marks every active deployment of the environment inactive, so GitHub
   * and the runtime card stop showing it as serving. What the workflow
   * deployed to its cluster stays: removing it is the cluster's side.
   */
  async teardown(entityRef: string, environment: string): Promise<number> {
    this.forget(entityRef, environment);
    const github = await this.repositoryOf(entityRef);
    if (!github) {
      return 0;
    }
    const { octokit, owner, repo } = github;
    const deployments = await octokit.paginate(octokit.repos.listDeployments, {
      owner,
      repo,
      environment,
      per_page: 100,
    });
    let marked = 0;
    for (const deployment of deployments) {
      const latest = await this.latestStatus(github, deployment.id);
      if (latest && latest.state === 'inactive') {
        continue;
      }
      await octokit.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deployment.id,
        state: 'inactive',
        description: 'Torn down from Paved Road',
      });
      marked += 1;
    }
    return marked;
  }

  private async read(
    entityRef: string,
    environment: string,
  ): Promise<RuntimeState> {
    const empty = (note: string): RuntimeState => ({
      url: null,
      instances: [],
      desiredReplicas: null,
      note,
    });
    const github = await this.repositoryOf(entityRef);
    if (!github) {
      return empty(
        'Runs on GitHub, but the entity has no GitHub repository the portal can read (backstage.io/managed-by-location)',
      );
    }
    const environmentLink = `${github.htmlUrl}/deployments/${encodeURIComponent(
      environment,
    )}`;
    const { data: deployments } = await github.octokit.repos.listDeployments({
      owner: github.owner,
      repo: github.repo,
      environment,
      per_page: DEPLOYMENTS_READ,
    });
    for (const deployment of deployments) {
      const status = await this.latestStatus(github, deployment.id);
      if (status?.state === 'success') {
        return {
          url: status.environment_url || null,
          instances: [],
          desiredReplicas: null,
          note: `Runs on GitHub: ${deployment.sha.slice(
            0,
            7,
          )} deployed to ${environment} at ${
            status.created_at
          }; see the environment at ${environmentLink}`,
        };
      }
    }
    return empty(
      deployments.length > 0
        ? `Runs on GitHub: no active deployment in ${environment}; see the environment at ${environmentLink}`
        : `Runs on GitHub: nothing deployed to ${environment} yet`,
    );
  }

  private async latestStatus(github: GithubRepository, deploymentId: number) {
    const { data } = await github.octokit.repos.listDeploymentStatuses({
      owner: github.owner,
      repo: github.repo,
      deployment_id: deploymentId,
      per_page: 1,
    });
    return data[0];
  }

  private async repositoryOf(
    entityRef: string,
  ): Promise<GithubRepository | undefined> {
    const { catalog, auth, integrations, repositories, onRateLimit } =
      this.options;
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    const location = githubLocationOf(
      entity?.metadata.annotations,
      integrations,
    );
    return location
      ? repositories.open(location.url, location.slug, onRateLimit)
      : undefined;
  }
}
