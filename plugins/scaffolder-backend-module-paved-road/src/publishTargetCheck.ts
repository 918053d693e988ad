import {
  LoggerService,
  RootConfigService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import {
  FetchUrlReader,
  ReadTreeResponseFactory,
} from '@backstage/backend-defaults/urlReader';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { PublishTarget, readPublishTarget } from './publishTarget';

/**
 * Checks at start-up that `pavedRoad.publish` can work in this backend, so
 * a misconfigured portal fails to start with what to add instead of
 * "publishing" projects that nobody can clone or register.
 *
 * - Any target: `pavedRoad.publish.target` is set; `github` has an owner
 *   and an `integrations.github` entry (see readPublishTarget).
 * - `local-git`: the local git hosting plugin runs in this backend (it
 *   serves the directory the module writes to, so it must share its disk),
 *   it lets the catalog read without credentials (`publicRead`), and
 *   `backend.reading.allow` lets the catalog's and the fetch actions' URL
 *   reader read its URLs.
 */
export async function checkPublishTarget(options: {
  config: RootConfigService;
  instanceMetadata: RootInstanceMetadataService;
  repositories: LocalGitRepositories;
  logger: LoggerService;
}): Promise<PublishTarget> {
  const { config, instanceMetadata, repositories, logger } = options;
  const target = readPublishTarget(config);
  if (target.target !== 'local-git') {
    return target;
  }

  const problems: string[] = [];
  const plugins = await instanceMetadata.getInstalledPlugins();
  if (!plugins.some(p => p.pluginId === LOCAL_GIT_PLUGIN_ID)) {
    problems.push(
      "the local git hosting plugin is not installed in this backend, so nobody could clone new projects and the catalog could not register them: add backend.add(import('@paved-road/plugin-local-git-backend')) to packages/backend/src/index.ts (yarn --cwd packages/backend add @paved-road/plugin-local-git-backend). It must run in the backend that runs the scaffolder: both use the repositories on this disk.",
    );
  }
  if (config.getOptionalBoolean('pavedRoad.localGit.publicRead') !== true) {
    problems.push(
      'pavedRoad.localGit.publicRead is not true: the catalog reads catalog-info.yaml and git clones without Backstage credentials, so registering a new project would fail with 401. Set pavedRoad.localGit.publicRead: true.',
    );
  }
  const base = new URL(`${repositories.baseUrl}/`);
  if (!readingAllows(config, logger, base)) {
    problems.push(
      `backend.reading.allow does not allow ${base.href} (pavedRoad.localGit.baseUrl), so the catalog could not read new projects' catalog-info.yaml. Add this entry: backend.reading.allow: [{ host: '${base.host}', paths: ['${base.pathname}'] }].`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `pavedRoad.publish.target is local-git, which needs:\n  - ${problems.join(
        '\n  - ',
      )}\nOr set pavedRoad.publish.target: github with pavedRoad.publish.github.owner and an integrations.github entry (see the module's README).`,
    );
  }
  return target;
}

/**
 * Whether `backend.reading.allow` admits a URL, judged by the backend's own
 * FetchUrlReader predicate: it reads every host no integration covers,
 * which is the local git hosting's, exactly as the catalog will.
 */
function readingAllows(
  config: RootConfigService,
  logger: LoggerService,
  url: URL,
): boolean {
  const [{ predicate }] = FetchUrlReader.factory({
    config,
    logger,
    // FetchUrlReader reads no trees; its factory never touches this.
    treeResponseFactory: {} as ReadTreeResponseFactory,
  });
  return predicate(url);
}
