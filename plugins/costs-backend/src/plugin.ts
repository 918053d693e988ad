import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { costsPermissions } from '@paved-road/plugin-costs-common';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { CostIngester } from './ingestion/CostIngester';
import {
  readCostSources,
  readDefaultCurrency,
  readIngestionSchedule,
} from './config';
import { createRouter } from './service/router';

/** Task id of the ingestion, one run at a time across all replicas. */
export const COSTS_INGESTION_TASK_ID = 'costs-ingest-focus';

/**
 * Actual cost per catalog entity, ingested from FOCUS billing exports.
 *
 * @public
 */
export const costsPlugin = createBackendPlugin({
  pluginId: 'costs',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
      }) {
        // Config first: a typo should fail startup before anything else
        const sources = readCostSources(config);
        const schedule = readIngestionSchedule(config);
        const defaultCurrency = readDefaultCurrency(config);
        const store = await DatabaseCostStore.create({ database });

        if (sources.length > 0) {
          const ingester = new CostIngester({ store, logger, sources });
          await scheduler.scheduleTask({
            id: COSTS_INGESTION_TASK_ID,
            ...schedule,
            fn: async signal => {
              await ingester.ingestAll(signal);
            },
          });
        } else {
          logger.info('No costs.sources configured, cost ingestion is off');
        }

        permissionsRegistry.addPermissions(costsPermissions);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            store,
            defaultCurrency,
          }),
        );
      },
    });
  },
});
