import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { DatabaseDeploymentsStore } from './database/DatabaseDeploymentsStore';
import { createRouter } from './service/router';
import { importSampleDataFromConfig } from './service/sampleData';

/**
 * Serves deployment history and deployment settings of catalog entities.
 *
 * @public
 */
export const deploymentsPlugin = createBackendPlugin({
  pluginId: 'deployments',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        rootConfig: coreServices.rootConfig,
      },
      async init({ database, httpAuth, httpRouter, logger, rootConfig }) {
        const store = await DatabaseDeploymentsStore.create({ database });
        await importSampleDataFromConfig({ config: rootConfig, store, logger });

        httpRouter.use(await createRouter({ store, httpAuth }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
