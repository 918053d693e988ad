import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { OrgSnapshotCache } from './processor/OrgSnapshotCache';
import { PavedRoadOwnershipProcessor } from './processor/PavedRoadOwnershipProcessor';

const DEFAULT_ORG_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { seconds: 60 },
};

/**
 * @public
 * Adds the Paved Road ownership processor to the catalog: business unit and
 * cost center on every owned entity, plus hygiene errors.
 */
export const catalogModulePavedRoad = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({
        config,
        logger,
        auth,
        scheduler,
        lifecycle,
        catalog,
        processing,
      }) {
        const org = new OrgSnapshotCache({ catalog, auth, logger });
        processing.addProcessor(
          PavedRoadOwnershipProcessor.fromConfig(config, { org }),
        );

        const refreshConfig = config.getOptionalConfig(
          'pavedRoad.catalog.orgRefresh',
        );
        const schedule = refreshConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(refreshConfig)
          : DEFAULT_ORG_REFRESH;
        // Scheduled once the catalog plugin has started, so its own API (which
        // the snapshot is read from) is mounted. Scope 'local': every replica
        // holds its own in-memory snapshot and must refresh it itself.
        lifecycle.addStartupHook(async () => {
          await scheduler.scheduleTask({
            id: 'paved-road-org-snapshot-refresh',
            ...schedule,
            // After the spread: config cannot make it global (see above).
            scope: 'local',
            fn: async () => {
              await org.refresh();
            },
          });
        });
      },
    });
  },
});
