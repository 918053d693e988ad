import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { ANNOTATION_DEPLOYMENT_DESCRIPTOR } from '@paved-road/plugin-paved-road-common';
import { GithubSettingsRepository } from './GithubSettingsRepository';
import { LocalGitSettingsRepository } from './LocalGitSettingsRepository';
import { SettingsRepository } from './SettingsRepository';

/** Where a project's settings live. */
export interface ProjectLocation {
  repository: SettingsRepository;
  /** e.g. `deploy/paved-road.yaml`. */
  descriptorPath: string;
  /** The file that defines the entity, e.g. `catalog-info.yaml`. */
  catalogInfoPath: string;
}

export type WriteMode = 'commit' | 'pull-request';

/** Reads and checks `deployments.settings.writeMode`. */
export function readWriteMode(config: Config): WriteMode {
  const mode =
    config.getOptionalString('deployments.settings.writeMode') ?? 'commit';
  if (mode !== 'commit' && mode !== 'pull-request') {
    throw new Error(
      `deployments.settings.writeMode must be commit or pull-request; got ${JSON.stringify(
        mode,
      )}`,
    );
  }
  return mode;
}

function locationUrl(value: string | undefined): URL | undefined {
  const match = value?.match(/^url:(.+)$/);
  if (!match) {
    return undefined;
  }
  try {
    return new URL(match[1]);
  } catch {
    return undefined;
  }
}

function cleanPath(path: string): string {
  return path.replace(/^(\.\/|\/)+/, '');
}

/**
 * Finds the repository of a project from its entity: the
 * `backstage.io/managed-by-location` says which repository and file define
 * the entity, `paved-road.io/deployment` which file holds the settings.
 * Local git on the embedded default, GitHub through the GitHub integration
 * otherwise. `backstage.io/source-location` is not used: the entity's
 * author writes it, so an owner could point their entity at another team's
 * repository and write there with the portal's credentials; the catalog
 * sets managed-by-location itself.
 */
export class RepositoryLocator {
  static fromConfig(
    config: Config,
    options: {
      localGit?: LocalGitRepositories;
      githubCredentialsProvider?: GithubCredentialsProvider;
    } = {},
  ): RepositoryLocator {
    const integrations = ScmIntegrations.fromConfig(config);
    return new RepositoryLocator({
      localGit: options.localGit ?? LocalGitRepositories.fromConfig(config),
      integrations,
      credentials:
        options.githubCredentialsProvider ??
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      writeMode: readWriteMode(config),
    });
  }

  private constructor(
    private readonly options: {
      localGit: LocalGitRepositories;
      integrations: ScmIntegrations;
      credentials: GithubCredentialsProvider;
      writeMode: WriteMode;
    },
  ) {}

  /** The project's location, or undefined when it is not one the portal can write. */
  async locate(entity: Entity): Promise<ProjectLocation | undefined> {
    const annotations = entity.metadata.annotations ?? {};
    const descriptor = annotations[ANNOTATION_DEPLOYMENT_DESCRIPTOR];
    if (!descriptor?.trim()) {
      return undefined;
    }
    const managedBy = locationUrl(annotations[ANNOTATION_LOCATION]);
    if (!managedBy) {
      return undefined;
    }
    const descriptorPath = cleanPath(descriptor.trim());

    const local = this.localGit(managedBy);
    if (local) {
      return { descriptorPath, ...local };
    }
    const github = await this.github(managedBy);
    if (github) {
      return { descriptorPath, ...github };
    }
    return undefined;
  }

  private localGit(managedBy: URL) {
    const base = `${this.options.localGit.baseUrl}/`;
    if (!managedBy.href.startsWith(base)) {
      return undefined;
    }
    // <base>/<name>/raw/<branch>/<path>
    const [name] = managedBy.href.slice(base.length).split('/');
    if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(name)) {
      return undefined;
    }
    let catalogInfoPath = 'catalog-info.yaml';
    const rawPrefix = `${base}${name}/raw/`;
    if (managedBy.href.startsWith(rawPrefix)) {
      // After the branch segment (encoded as one segment by the hosting).
      const rest = managedBy.href.slice(rawPrefix.length).split('/').slice(1);
      if (rest.length > 0) {
        catalogInfoPath = decodeURIComponent(rest.join('/'));
      }
    }
    return {
      repository: new LocalGitSettingsRepository(this.options.localGit, name),
      catalogInfoPath,
    };
  }

  private async github(managedBy: URL) {
    const integration = this.options.integrations.github.byUrl(managedBy.href);
    if (!integration) {
      return undefined;
    }
    // https://github.com/<owner>/<repo>/blob/<branch>/<path>
    const parts = managedBy.pathname.split('/').filter(Boolean);
    const [owner, rawRepo] = parts;
    const repo = rawRepo?.replace(/\.git$/, '');
    if (!owner || !repo) {
      return undefined;
    }
    let catalogInfoPath = 'catalog-info.yaml';
    if (parts[2] === 'blob' && parts.length > 4) {
      catalogInfoPath = decodeURIComponent(parts.slice(4).join('/'));
    }
    const url = `https://${integration.config.host}/${owner}/${repo}`;
    // The token stays inside the Octokit client: never logged or returned.
    const { token } = await this.options.credentials.getCredentials({ url });
    const octokit = new Octokit({
      auth: token,
      baseUrl: integration.config.apiBaseUrl,
    });
    return {
      repository: new GithubSettingsRepository(octokit, {
        owner,
        repo,
        url,
        writeMode: this.options.writeMode,
      }),
      catalogInfoPath,
    };
  }
}
