import {
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';
import type { DeploymentEnvironmentsStore } from '../database/DeploymentEnvironmentsStore';
import type { DeploymentRunsStore } from '../database/DeploymentRunsStore';
import type { DeploymentsStore } from '../database/DeploymentsStore';
import type { RepositoryLocator } from '../repository/RepositoryLocator';
import type { AuditQueue } from '../service/audit';
import type { SettingsSync } from '../service/SettingsSync';
import { DeploymentNotifier } from './DeploymentNotifier';
import { DeploymentRunner } from './DeploymentRunner';
import { DeploymentService } from './DeploymentService';
import { EnvironmentsConfig } from './environments';
import {
  PreviewEnvironments,
  schedulePreviewCleanup,
} from './PreviewEnvironments';
import { RunnerConfig } from './runnerConfig';

/**
 * The deployment engine: a runner on this replica and the TTL task that
 * tears expired previews down (only with a provider; the runner starts with
 * the backend and hands its work back when the backend stops), and the
 * service the API calls.
 */
export async function setUpDeployments(options: {
  provider: DeploymentProvider | undefined;
  runnerConfig: RunnerConfig;
  environmentsConfig: EnvironmentsConfig;
  runs: DeploymentRunsStore;
  store: DeploymentsStore;
  environments: DeploymentEnvironmentsStore;
  locator: RepositoryLocator;
  sync: SettingsSync;
  catalog: CatalogService;
  permissions: PermissionsService;
  audit: AuditQueue;
  signals: SignalsService;
  notifications: NotificationService;
  lifecycle: LifecycleService;
  scheduler: SchedulerService;
  logger: LoggerService;
}): Promise<DeploymentService> {
  const { provider, runs, audit, logger, lifecycle, environments } = options;
  const notifier = new DeploymentNotifier({
    signals: options.signals,
    notifications: options.notifications,
    logger,
  });
  let runner: DeploymentRunner | undefined;
  let previews: PreviewEnvironments | undefined;
  if (provider) {
    const started = new DeploymentRunner({
      store: runs,
      provider,
      notifier,
      audit,
      logger,
      config: options.runnerConfig,
    });
    lifecycle.addStartupHook(() => started.start());
    lifecycle.addShutdownHook(() => started.stop());
    runner = started;
    previews = new PreviewEnvironments({
      environments,
      runs,
      provider,
      audit,
      logger,
    });
    await schedulePreviewCleanup({
      scheduler: options.scheduler,
      config: options.environmentsConfig,
      previews,
    });
  }
  return new DeploymentService({
    runs,
    store: options.store,
    environments,
    environmentsConfig: options.environmentsConfig,
    locator: options.locator,
    sync: options.sync,
    catalog: options.catalog,
    permissions: options.permissions,
    audit,
    notifier,
    logger,
    provider,
    runner,
    previews,
  });
}
