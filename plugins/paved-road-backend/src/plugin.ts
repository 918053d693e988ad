import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { registerPavedRoadActions } from './actions/registerPavedRoadActions';
import { readPavedRoadConfig } from './config';
import { DatabaseAuditStore } from './database/DatabaseAuditStore';
import { CatalogHygieneReporter } from './hygiene/CatalogHygieneReporter';
import { SettingsErrorsClient } from './hygiene/SettingsErrorsClient';
import { UnprocessedEntitiesClient } from './hygiene/UnprocessedEntitiesClient';
import { createAuditRouter } from './service/auditRouter';
import { CatalogAttribution } from './service/CatalogAttribution';
import { createHygieneRouter } from './service/hygieneRouter';
import { createProjectsRouter } from './service/projectsRouter';

/**
 * Paved Road's cross-cutting data under `/api/paved-road`: the one audit
 * trail, the projects it created and the catalog hygiene list; and the
 * template, project creation and project actions of the actions registry.
 *
 * @public
 */
export const pavedRoadPlugin = createBackendPlugin({
  pluginId: 'paved-road',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init({
        config,
        logger,
        database,
        auth,
        auditor,
        discovery,
        httpAuth,
        httpRouter,
        catalog,
        actionsRegistry,
      }) {
        const settings = readPavedRoadConfig(config);
        const store = await DatabaseAuditStore.create({ database });
        const reporter = new CatalogHygieneReporter({
          catalog,
          auth,
          unprocessed: new UnprocessedEntitiesClient(discovery, auth),
          settingsErrors: new SettingsErrorsClient(discovery, auth),
          logger,
          cacheTtlMs: settings.hygieneCacheMs,
        });

        httpRouter.use(
          createAuditRouter({
            httpAuth,
            auditor,
            store,
            attribution: new CatalogAttribution(catalog, auth, logger),
            writers: settings.writers,
            exportRowLimit: settings.exportRowLimit,
          }),
        );
        httpRouter.use(createProjectsRouter({ httpAuth, store, catalog }));
        httpRouter.use(createHygieneRouter({ httpAuth, reporter }));
        registerPavedRoadActions({
          actionsRegistry,
          config,
          catalog,
          discovery,
          auth,
          store,
          reporter,
        });
      },
    });
  },
});
