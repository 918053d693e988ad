import {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'node:crypto';
import { computeDimensions, DIMENSION_KINDS } from './computeDimensions';
import { DatabaseDimensionsStore } from './DatabaseDimensionsStore';

/** Task id of the refresh, one run at a time across all replicas. */
export const COSTS_DIMENSIONS_TASK_ID = 'costs-refresh-dimensions';

const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.type',
  'spec.parent',
  'spec.profile.displayName',
];

/**
 * Copies the catalog's organisation into the costs database, unless the
 * copy there is already the same.
 */
export async function refreshDimensions(options: {
  catalog: CatalogService;
  auth: AuthService;
  store: DatabaseDimensionsStore;
  logger: LoggerService;
}): Promise<void> {
  const { catalog, auth, store, logger } = options;
  const { items } = await catalog.getEntities(
    { filter: { kind: DIMENSION_KINDS }, fields: FIELDS },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  const dimensions = computeDimensions(items);
  dimensions.entities.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  const hash = createHash('sha256')
    .update(JSON.stringify(dimensions))
    .digest('hex');
  if (hash !== (await store.getHash())) {
    await store.replaceAll(dimensions, hash);
    logger.debug(
      `Cost dimensions refreshed: ${dimensions.entities.length} entities, ${dimensions.costCenters.length} cost centers`,
    );
  }
}

/** Schedules {@link refreshDimensions} as a global task. */
export async function scheduleDimensionsRefresh(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  catalog: CatalogService;
  auth: AuthService;
  store: DatabaseDimensionsStore;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, schedule, ...deps } = options;
  await scheduler.scheduleTask({
    id: COSTS_DIMENSIONS_TASK_ID,
    scope: 'global',
    ...schedule,
    fn: () => refreshDimensions(deps),
  });
}
