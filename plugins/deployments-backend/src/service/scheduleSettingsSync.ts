import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { SettingsSync } from './SettingsSync';

/** A few seconds: edits made in a repository show up almost at once. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 5 },
  timeout: { minutes: 5 },
  initialDelay: { seconds: 5 },
};

/**
 * Runs the repository sync on `deployments.settings.sync` (default every 5
 * seconds), on one replica at a time.
 */
export async function scheduleSettingsSync(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  sync: SettingsSync;
}) {
  const { config, scheduler, sync } = options;
  const schedule = config.has('deployments.settings.sync')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('deployments.settings.sync'),
      )
    : DEFAULT_SCHEDULE;
  await scheduler.scheduleTask({
    id: 'deployments-settings-sync',
    scope: 'global',
    ...schedule,
    fn: () => sync.syncAll(),
  });
}
