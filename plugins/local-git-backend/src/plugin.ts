import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  LOCAL_GIT_PLUGIN_ID,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { createRouter, PUBLIC_READ_PATHS } from './service/router';

/**
 * Serves the local git repositories read-only: `git clone` over smart HTTP,
 * raw files and a listing.
 *
 * @public
 */
export const localGitPlugin = createBackendPlugin({
  pluginId: LOCAL_GIT_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, httpAuth, httpRouter, logger }) {
        const repositories = LocalGitRepositories.fromConfig(config);
        httpRouter.use(await createRouter({ repositories, httpAuth, logger }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // git and the catalog's URL reader send no Backstage token.
        if (config.getOptionalBoolean('pavedRoad.localGit.publicRead')) {
          for (const path of PUBLIC_READ_PATHS) {
            httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
          }
        }
        logger.info(
          `Serving git repositories from ${repositories.directory} at ${repositories.baseUrl}`,
        );
      },
    });
  },
});
