import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  AuditOutbox,
  pavedRoadAuditServiceRef,
} from '@paved-road/plugin-paved-road-node';
import { DatabaseDeploymentsStore } from './database/DatabaseDeploymentsStore';
import { RepositoryLocator } from './repository/RepositoryLocator';
import { importSampleDataFromConfig } from './sample/sampleData';
import { Identities } from './service/identity';
import { createRouter } from './service/router';
import { SettingsService } from './service/SettingsService';
import { scheduleSettingsSync } from './service/scheduleSettingsSync';
import { SettingsSync } from './service/SettingsSync';

/**
 * Serves deployment history and deployment settings of catalog entities,
 * writes settings changes and deactivations to the projects' repositories,
 * and keeps the stored versions in step with those repositories.
 *
 * @public
 */
export const deploymentsPlugin = createBackendPlugin({
  pluginId: 'deployments',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        audit: pavedRoadAuditServiceRef,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
      },
      async init(deps) {
        const { config, database, logger, scheduler, catalog, auth } = deps;
        const store = await DatabaseDeploymentsStore.create({ database });
        // Only where deployments.sampleData.file is set (the embedded default).
        await importSampleDataFromConfig({ config, store, logger });

        const outbox = await AuditOutbox.create({
          database,
          scheduler,
          logger,
          audit: deps.audit,
          pluginId: 'deployments',
        });
        const locator = RepositoryLocator.fromConfig(config);
        const identities = new Identities(catalog, logger);
        const sync = new SettingsSync({
          store,
          locator,
          catalog,
          auth,
          identities,
          audit: outbox,
          logger,
        });
        await scheduleSettingsSync({ config, scheduler, sync });
        const settings = new SettingsService({
          store,
          locator,
          catalog,
          auth,
          permissions: deps.permissions,
          identities,
          audit: outbox,
          sync,
          logger,
        });

        deps.httpRouter.use(
          await createRouter({ store, settings, httpAuth: deps.httpAuth }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
