import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { costsPermissions } from '@paved-road/plugin-costs-common';
import { registerCostsActions } from './actions/registerCostsActions';
import { DatabaseCostStore } from './database/DatabaseCostStore';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readIngestionConfig } from './ingestion/config';
import {
  COSTS_INGESTION_TASK_ID,
  scheduleCostIngestion,
} from './ingestion/scheduleCostIngestion';
import { readDefaultCurrency } from './config';
import { createRouter } from './service/router';
import { createIngestionRouter } from './service/ingestionRouter';
import { notificationService } from '@backstage/plugin-notifications-node';
import { pavedRoadAuditServiceRef } from '@paved-road/plugin-paved-road-node';
import { setUpPlanning } from './service/planning';

export { COSTS_INGESTION_TASK_ID };

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
        urlReader: coreServices.urlReader,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        notifications: notificationService,
        audit: pavedRoadAuditServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
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
        urlReader,
        auth,
        catalog,
        discovery,
        notifications,
        audit,
        actionsRegistry,
      }) {
        // Config first: a typo should fail startup before anything else
        const ingestion = readIngestionConfig(config);
        const defaultCurrency = readDefaultCurrency(config);
        const store = await DatabaseCostStore.create({ database });

        await scheduleCostIngestion({
          ingestion,
          store,
          logger,
          scheduler,
          urlReader,
          catalog,
          auth,
        });

        const planning = await setUpPlanning({
          config,
          logger,
          database,
          scheduler,
          auth,
          discovery,
          httpAuth,
          permissions,
          catalog,
          notifications,
          audit,
          defaultCurrency,
        });

        permissionsRegistry.addPermissions(costsPermissions);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            store,
            defaultCurrency,
            extendReport: planning.extendReport,
          }),
        );
        httpRouter.use(await createIngestionRouter({ httpAuth, store }));
        httpRouter.use(planning.router);
        registerCostsActions({
          actionsRegistry,
          permissions,
          store,
          defaultCurrency,
          extendReport: planning.extendReport,
          readRollup: planning.readRollup,
          now: () => new Date(),
        });
      },
    });
  },
});
