import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  AuditOutbox,
  pavedRoadAuditServiceRef,
} from '@paved-road/plugin-paved-road-node';
import { templatesPermissions } from '@paved-road/plugin-templates-common';
import { registerTemplatesActions } from './actions/registerTemplatesActions';
import { DatabaseUpgradeStore } from './database/DatabaseUpgradeStore';
import { createHealthRouter, setUpTemplateHealth } from './health';
import { createProjectHosts } from './hosts/locateProject';
import { readUpgradeConfig } from './jobs/upgradeConfig';
import { UpgradeWorker } from './jobs/UpgradeWorker';
import { TemplateRenderer } from './render/TemplateRenderer';
import { SourceLatestTemplates } from './service/LatestTemplates';
import { createUpgradeRouter } from './service/router';
import { UpgradeService } from './service/UpgradeService';
import { TemplateSource } from './templates/TemplateSource';
import { UpgradeRunner } from './upgrade/UpgradeRunner';

/**
 * Template versions and upgrades of the projects made from them: tells a
 * project which newer version its template has, and upgrades it by
 * rendering that version with the project's answers and merging it with
 * git's three-way merge into a branch or pull request. Also keeps each
 * template's health: task figures, projects that build and deploy, user
 * reports and the template's own checks.
 *
 * @public
 */
export const templatesPlugin = createBackendPlugin({
  pluginId: 'templates',
  register(env) {
    env.registerInit({
      deps: {
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        audit: pavedRoadAuditServiceRef,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        notifications: notificationService,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
      },
      async init(deps) {
        const { auth, catalog, config, database, logger, scheduler } = deps;
        const workerConfig = readUpgradeConfig(config);
        const store = await DatabaseUpgradeStore.create({ database });
        const outbox = await AuditOutbox.create({
          database,
          scheduler,
          logger,
          audit: deps.audit,
          pluginId: 'templates',
        });
        const source = new TemplateSource({
          catalog,
          auth,
          reader: deps.urlReader,
        });
        const hosts = createProjectHosts({ config, logger });
        const runner = new UpgradeRunner({
          renderer: new TemplateRenderer({
            source,
            discovery: deps.discovery,
            auth,
            logger,
          }),
          hosts,
          logger,
          catalog,
          auth,
        });
        const worker = new UpgradeWorker({
          store,
          runner,
          audit: outbox,
          notifications: deps.notifications,
          logger,
          config: workerConfig,
        });
        // Every replica runs jobs; the database claim keeps each on one.
        await scheduler.scheduleTask({
          id: 'templates-upgrade-worker',
          scope: 'local',
          frequency: { seconds: 5 },
          timeout: { minutes: 1 },
          fn: () => worker.poll(),
        });
        deps.lifecycle.addShutdownHook(() => worker.stop());

        const upgrades = new UpgradeService({
          store,
          catalog,
          auth,
          permissions: deps.permissions,
          templates: new SourceLatestTemplates(source),
          hosts,
          audit: outbox,
          logger,
          onQueued: () => worker.wake(),
        });
        const health = await setUpTemplateHealth({
          config,
          database,
          scheduler,
          catalog,
          auth,
          discovery: deps.discovery,
          logger,
        });

        deps.permissionsRegistry.addPermissions(templatesPermissions);
        deps.httpRouter.use(
          await createUpgradeRouter({ upgrades, httpAuth: deps.httpAuth }),
        );
        deps.httpRouter.use(
          await createHealthRouter({
            store: health.store,
            service: health.service,
            httpAuth: deps.httpAuth,
            auth,
            permissions: deps.permissions,
            catalog,
          }),
        );
        registerTemplatesActions({
          actionsRegistry: deps.actionsRegistry,
          auth,
          upgrades,
        });
      },
    });
  },
});
