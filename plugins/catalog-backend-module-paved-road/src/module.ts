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
import { DatabaseBusinessUnitParts } from './database/DatabaseBusinessUnitParts';
import { DatabasePendingEntities } from './database/DatabasePendingEntities';
import { getMigratedClient } from './database/migrations';
import { CatalogBusinessUnitParts } from './processor/BusinessUnitParts';
import { OrgSnapshotCache } from './processor/OrgSnapshotCache';
import { PavedRoadOwnershipProcessor } from './processor/PavedRoadOwnershipProcessor';

const DEFAULT_ORG_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { seconds: 60 },
};

/** Task id, exported for tests that trigger it. */
export const ORG_REFRESH_TASK_ID = 'paved-road-org-snapshot-refresh';

/**
 * @public
 * Adds the Paved Road ownership processor to the catalog: business unit and
 * cost center on every owned entity, and an input error naming the field for
 * anything that does not resolve. The hygiene list is derived from those
 * errors by `@paved-road/plugin-paved-road-backend`.
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
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({
        config,
        logger,
        auth,
        database,
        scheduler,
        lifecycle,
        catalog,
        processing,
      }) {
        // Its migrations drop the tables earlier versions kept here
        await getMigratedClient(database);

        const org = new OrgSnapshotCache({ catalog, auth, logger });
        const processor = PavedRoadOwnershipProcessor.fromConfig(config, {
          org,
          parts: await DatabaseBusinessUnitParts.create({
            database,
            fallback: new CatalogBusinessUnitParts({ catalog, auth }),
            logger,
          }),
          pending: await DatabasePendingEntities.create({ database, logger }),
        });
        processing.addProcessor(processor);

        const refreshConfig = config.getOptionalConfig(
          'pavedRoad.catalog.orgRefresh',
        );
        const schedule = refreshConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(refreshConfig)
          : DEFAULT_ORG_REFRESH;
        // Scheduled once the catalog plugin has started, so its own API (which
        // the snapshot is read from) is mounted.
        lifecycle.addStartupHook(async () => {
          // Scope 'local': every replica holds its own in-memory snapshot and
          // must refresh it itself.
          await scheduler.scheduleTask({
            id: ORG_REFRESH_TASK_ID,
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
