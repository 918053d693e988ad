import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { GithubHost } from './GithubHost';
import { LocalGitHost } from './LocalGitHost';
import { ProjectHost } from './ProjectHost';

/** Finds where a project's repository lives. */
export type ProjectHosts = {
  /** InputError for an entity whose repository the portal cannot write. */
  locate(entity: Entity): ProjectHost;
};

/**
 * The hosts of projects: local git on the embedded default, GitHub (and
 * GitHub Enterprise) through the GitHub integrations.
 *
 * The repository is the one in `backstage.io/managed-by-location`, as in
 * deployments-backend's RepositoryLocator: the catalog sets that
 * annotation itself, while `backstage.io/source-location` is written by the
 * entity's author, who could point it at another team's repository and
 * have the portal push there with its own credentials.
 */
export function createProjectHosts(options: {
  config: Config;
  logger?: LoggerService;
  localGit?: LocalGitRepositories;
  githubCredentialsProvider?: GithubCredentialsProvider;
  /** Where git fetches a GitHub repository from; a local bare repository in tests. */
  githubRemoteUrl?: (repository: { owner: string; repo: string }) => string;
}): ProjectHosts {
  const integrations = ScmIntegrations.fromConfig(options.config);
  const localGit =
    options.localGit ?? LocalGitRepositories.fromConfig(options.config);
  const credentials =
    options.githubCredentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);

  return {
    locate(entity) {
      const ref = stringifyEntityRef(entity);
      const value = entity.metadata.annotations?.[ANNOTATION_LOCATION];
      const location = locationUrl(value);
      if (!location) {
        throw new InputError(
          `${ref} has no repository to upgrade: its ${ANNOTATION_LOCATION} is ${
            value ? JSON.stringify(value) : 'missing'
          }, not a url: location`,
        );
      }

      // <baseUrl>/<name>/raw/<branch>/<path> or <baseUrl>/<name>.git
      const localBase = `${localGit.baseUrl}/`;
      if (location.href.startsWith(localBase)) {
        const [segment] = location.href.slice(localBase.length).split('/');
        const name = segment.replace(/\.git$/, '');
        if (!/^[a-z0-9][a-z0-9._-]{0,99}$/.test(name)) {
          throw new InputError(
            `${ref} is managed by ${location.href}, which names no local git repository`,
          );
        }
        return new LocalGitHost(localGit, name);
      }

      const github = integrations.github.byUrl(location.href);
      if (github) {
        // https://<host>/<owner>/<repo>/blob/<branch>/<path>
        const [owner, rawRepo] = location.pathname.split('/').filter(Boolean);
        const repo = rawRepo?.replace(/\.git$/, '');
        if (!owner || !repo) {
          throw new InputError(
            `${ref} is managed by ${location.href}, which names no GitHub repository`,
          );
        }
        return new GithubHost({
          owner,
          repo,
          url: `https://${github.config.host}/${owner}/${repo}`,
          apiBaseUrl: github.config.apiBaseUrl,
          credentials,
          remoteUrl: options.githubRemoteUrl?.({ owner, repo }),
        });
      }

      options.logger?.debug(
        `No project host for ${ref} at ${location.href}: neither local git nor a GitHub integration`,
      );
      throw new InputError(
        `${ref} is managed by ${location.href}; upgrades support local git and GitHub repositories only`,
      );
    },
  };
}

function locationUrl(value: string | undefined): URL | undefined {
  const match = value?.match(/^url:(.+)$/);
  if (!match) return undefined;
  try {
    return new URL(match[1]);
  } catch {
    return undefined;
  }
}
