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
import { DatabaseHygieneStore } from './database/DatabaseHygieneStore';
import { DatabasePendingEntities } from './database/DatabasePendingEntities';
import { DatabaseProjectAuditStore } from './database/DatabaseProjectAuditStore';
import { HygieneRecorder } from './hygiene/HygieneRecorder';
import { readHygienePruneAgeMs } from './hygiene/pruneAge';
import { CatalogBusinessUnitParts } from './processor/BusinessUnitParts';
import { OrgSnapshotCache } from './processor/OrgSnapshotCache';
import { PavedRoadOwnershipProcessor } from './processor/PavedRoadOwnershipProcessor';
import { createRouter } from './service/router';

const DEFAULT_ORG_REFRESH: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 30 },
  timeout: { seconds: 60 },
};

/** Task ids, exported for tests that trigger them. */
export const ORG_REFRESH_TASK_ID = 'paved-road-org-snapshot-refresh';
export const HYGIENE_PRUNE_TASK_ID = 'paved-road-hygiene-prune';
export const HYGIENE_FLUSH_TASK_ID = 'paved-road-hygiene-flush';
export const HYGIENE_SYNC_TASK_ID = 'paved-road-hygiene-sync';

// Short enough that the ops list follows processing within a second or two,
// long enough that a processing cycle becomes a handful of batched writes.
const HYGIENE_FLUSH_FREQUENCY = { seconds: 1 };
// How long a row another replica wrote can outlive its entity's fix when
// this replica is the one that processes the fix.
const HYGIENE_SYNC_FREQUENCY = { seconds: 30 };

/**
 * @public
 * Adds the Paved Road ownership processor to the catalog (business unit and
 * cost center on every owned entity, plus hygiene errors), the hygiene list
 * and the project-creation audit trail, on the catalog's router under
 * `/paved-road`.
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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
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
        httpAuth,
        httpRouter,
        database,
        scheduler,
        lifecycle,
        catalog,
        processing,
      }) {
        const hygieneStore = await DatabaseHygieneStore.create({ database });
        const auditStore = await DatabaseProjectAuditStore.create({
          database,
        });
        const hygiene = new HygieneRecorder({ store: hygieneStore, logger });
        lifecycle.addShutdownHook(() => hygiene.stop());

        const org = new OrgSnapshotCache({ catalog, auth, logger });
        const processor = PavedRoadOwnershipProcessor.fromConfig(config, {
          org,
          hygiene,
          parts: await DatabaseBusinessUnitParts.create({
            database,
            fallback: new CatalogBusinessUnitParts({ catalog, auth }),
            logger,
          }),
          pending: await DatabasePendingEntities.create({ database, logger }),
        });
        processing.addProcessor(processor);

        httpRouter.use(
          await createRouter({
            httpAuth,
            hygieneStore,
            auditStore,
            costCenterPattern: processor.costCenterPattern,
            auditWriters: config.getOptionalStringArray(
              'pavedRoad.catalog.auditWriters',
            ) ?? ['plugin:scaffolder'],
          }),
        );

        const refreshConfig = config.getOptionalConfig(
          'pavedRoad.catalog.orgRefresh',
        );
        const schedule = refreshConfig
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(refreshConfig)
          : DEFAULT_ORG_REFRESH;
        const pruneAgeMs = readHygienePruneAgeMs(config);
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
          // Local too: each replica buffers what its own processing concluded.
          // A failed flush keeps its batch for the next run (and logs it).
          await scheduler.scheduleTask({
            id: HYGIENE_FLUSH_TASK_ID,
            scope: 'local',
            frequency: HYGIENE_FLUSH_FREQUENCY,
            timeout: { minutes: 1 },
            fn: async () => {
              await hygiene.flush().catch(() => {});
            },
          });
          // Local: each replica learns which rows exist, so its clean
          // verdicts only turn into deletes where there is a row.
          await scheduler.scheduleTask({
            id: HYGIENE_SYNC_TASK_ID,
            scope: 'local',
            frequency: HYGIENE_SYNC_FREQUENCY,
            timeout: { minutes: 1 },
            fn: async () => {
              await hygiene
                .sync()
                .catch(error =>
                  logger.warn(
                    'Could not read the Paved Road hygiene rows',
                    error,
                  ),
                );
            },
          });
          // Rows of entities that left the catalog; one replica is enough.
          await scheduler.scheduleTask({
            id: HYGIENE_PRUNE_TASK_ID,
            scope: 'global',
            frequency: { milliseconds: pruneAgeMs },
            timeout: { minutes: 5 },
            initialDelay: { milliseconds: pruneAgeMs },
            fn: async () => {
              const pruned = await hygieneStore.prune({
                updatedBefore: new Date(Date.now() - pruneAgeMs),
              });
              if (pruned > 0) {
                logger.info(
                  `Pruned ${pruned} hygiene rows of entities no longer in the catalog`,
                );
              }
            },
          });
        });
      },
    });
  },
});
