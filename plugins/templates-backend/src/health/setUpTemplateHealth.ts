import type {
  AuthService,
  DatabaseService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { readTemplateHealthConfig } from './config';
import { DatabaseTemplateHealthStore } from './DatabaseTemplateHealthStore';
import { TemplateHealthCollector } from './TemplateHealthCollector';
import { TemplateHealthService } from './TemplateHealthService';

/**
 * Creates the template health store and schedules the collector every
 * `templates.health.collectEveryMinutes` (global scope: one replica at a
 * time). Hand the result to `createHealthRouter`.
 */
export async function setUpTemplateHealth(deps: {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
}): Promise<{
  store: DatabaseTemplateHealthStore;
  service: TemplateHealthService;
  collector: TemplateHealthCollector;
}> {
  const healthConfig = readTemplateHealthConfig(deps.config);
  const store = await DatabaseTemplateHealthStore.create({
    database: deps.database,
  });
  const collector = new TemplateHealthCollector({
    store,
    catalog: deps.catalog,
    auth: deps.auth,
    discovery: deps.discovery,
    logger: deps.logger,
  });
  await deps.scheduler.scheduleTask({
    id: 'templates-health-collector',
    frequency: { minutes: healthConfig.collectEveryMinutes },
    timeout: { minutes: 15 },
    // Other plugins' routes are up only once the backend has started.
    initialDelay: { seconds: 30 },
    fn: async () => {
      const { tasks, projects } = await collector.collect();
      deps.logger.info(
        `Template health: ${tasks} new tasks, ${projects} projects collected`,
      );
    },
  });
  return {
    store,
    service: new TemplateHealthService(store, healthConfig),
    collector,
  };
}
