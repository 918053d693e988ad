import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { deploymentProvidersExtensionPoint } from '@paved-road/plugin-deployments-node';
import {
  AuditOutbox,
  pavedRoadAuditServiceRef,
} from '@paved-road/plugin-paved-road-node';
import { registerDeploymentsActions } from './actions/registerDeploymentsActions';
import { DatabaseDeploymentEnvironmentsStore } from './database/DatabaseDeploymentEnvironmentsStore';
import { DatabaseDeploymentRunsStore } from './database/DatabaseDeploymentRunsStore';
import { DatabaseDeploymentsStore } from './database/DatabaseDeploymentsStore';
import { DeploymentProviders } from './deploy/DeploymentProviders';
import { readEnvironmentsConfig } from './deploy/environments';
import { readRunnerConfig } from './deploy/runnerConfig';
import { setUpDeployments } from './deploy/setUpDeployments';
import { RepositoryLocator } from './repository/RepositoryLocator';
import { importSampleDataFromConfig } from './sample/sampleData';
import { Identities } from './service/identity';
import { createRouter } from './service/router';
import { ServiceLevelObjectivesService } from './service/ServiceLevelObjectivesService';
import { SettingsService } from './service/SettingsService';
import { scheduleSettingsSync } from './service/scheduleSettingsSync';
import { SettingsSync } from './service/SettingsSync';

/**
 * Serves deployment history and deployment settings of catalog entities,
 * writes settings changes and deactivations to the projects' repositories,
 * keeps the stored versions in step with those repositories, and runs
 * deployments through the provider `deployments.provider` names (added by a
 * backend module through `deploymentProvidersExtensionPoint`), to the
 * configured environments and to previews of branches, which it tears down
 * on request or when their TTL runs out.
 *
 * @public
 */
export const deploymentsPlugin = createBackendPlugin({
  pluginId: 'deployments',
  register(env) {
    const providers = new DeploymentProviders();
    env.registerExtensionPoint(deploymentProvidersExtensionPoint, {
      addProvider: provider => providers.add(provider),
    });

    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        audit: pavedRoadAuditServiceRef,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { config, database, logger, scheduler, catalog, auth } = deps;
        // Config first: a provider no module added fails the start.
        const provider = providers.select(config, logger);
        const runnerConfig = readRunnerConfig(config);
        const environmentsConfig = readEnvironmentsConfig(config);
        const store = await DatabaseDeploymentsStore.create({ database });
        const runs = await DatabaseDeploymentRunsStore.create({ database });
        const environments = await DatabaseDeploymentEnvironmentsStore.create({
          database,
        });
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

        const slos = new ServiceLevelObjectivesService({
          locator,
          catalog,
          permissions: deps.permissions,
        });

        const deployments = await setUpDeployments({
          provider,
          runnerConfig,
          environmentsConfig,
          runs,
          store,
          environments,
          locator,
          sync,
          catalog,
          permissions: deps.permissions,
          audit: outbox,
          signals: deps.signals,
          notifications: deps.notifications,
          lifecycle: deps.lifecycle,
          scheduler,
          logger,
        });
        deps.httpRouter.use(
          await createRouter({
            store,
            settings,
            slos,
            deployments,
            httpAuth: deps.httpAuth,
          }),
        );
        registerDeploymentsActions({
          actionsRegistry: deps.actionsRegistry,
          auth,
          logger,
          settings,
          slos,
          deployments,
        });
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
