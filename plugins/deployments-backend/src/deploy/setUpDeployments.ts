import {
  LifecycleService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';
import type { DeploymentRunsStore } from '../database/DeploymentRunsStore';
import type { DeploymentsStore } from '../database/DeploymentsStore';
import type { RepositoryLocator } from '../repository/RepositoryLocator';
import type { AuditQueue } from '../service/audit';
import type { SettingsSync } from '../service/SettingsSync';
import { DeploymentNotifier } from './DeploymentNotifier';
import { DeploymentRunner } from './DeploymentRunner';
import { DeploymentService } from './DeploymentService';
import { RunnerConfig } from './runnerConfig';

/**
 * The deployment engine: a runner on this replica (only with a provider;
 * started with the backend, and handing its work back when the backend
 * stops) and the service the API calls.
 */
export function setUpDeployments(options: {
  provider: DeploymentProvider | undefined;
  runnerConfig: RunnerConfig;
  runs: DeploymentRunsStore;
  store: DeploymentsStore;
  locator: RepositoryLocator;
  sync: SettingsSync;
  catalog: CatalogService;
  permissions: PermissionsService;
  audit: AuditQueue;
  signals: SignalsService;
  notifications: NotificationService;
  lifecycle: LifecycleService;
  logger: LoggerService;
}): DeploymentService {
  const { provider, runs, audit, logger, lifecycle } = options;
  const notifier = new DeploymentNotifier({
    signals: options.signals,
    notifications: options.notifications,
    logger,
  });
  let runner: DeploymentRunner | undefined;
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
  }
  return new DeploymentService({
    runs,
    store: options.store,
    locator: options.locator,
    sync: options.sync,
    catalog: options.catalog,
    permissions: options.permissions,
    audit,
    notifier,
    logger,
    provider,
    runner,
  });
}
