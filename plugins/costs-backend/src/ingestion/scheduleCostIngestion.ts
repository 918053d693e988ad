import {
  AuthService,
  LoggerService,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CostStore } from '../database/CostStore';
import { Allocator } from './allocation';
import { CatalogResourceOwners } from './CatalogResourceOwners';
import { IngestionConfig } from './config';
import { CostIngester } from './CostIngester';

/** Task id of the ingestion, one run at a time across all replicas. */
export const COSTS_INGESTION_TASK_ID = 'costs-ingest-focus';

/**
 * Schedules ingestion of the configured sources as a global task: with
 * several replicas, one of them runs it at a time.
 */
export async function scheduleCostIngestion(options: {
  ingestion: IngestionConfig;
  store: CostStore;
  logger: LoggerService;
  scheduler: SchedulerService;
  urlReader: UrlReaderService;
  catalog: CatalogService;
  auth: AuthService;
}): Promise<void> {
  const { ingestion, store, logger, scheduler, urlReader, catalog, auth } =
    options;
  if (ingestion.sources.length === 0) {
    logger.info('No costs.sources configured, cost ingestion is off');
    return;
  }
  // Refreshed at the start of each run: one catalog query per run, none per row
  const resourceOwners = new CatalogResourceOwners({ catalog, auth, logger });
  const ingester = new CostIngester({
    store,
    logger,
    urlReader,
    sources: ingestion.sources,
    costColumn: ingestion.costColumn,
    allocator: new Allocator(ingestion.tags, resourceOwners),
    resourceOwners,
  });
  await scheduler.scheduleTask({
    id: COSTS_INGESTION_TASK_ID,
    scope: 'global',
    ...ingestion.schedule,
    fn: async signal => {
      await ingester.ingestAll(signal);
    },
  });
}
