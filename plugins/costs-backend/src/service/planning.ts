import {
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AuditOutbox,
  PavedRoadAuditService,
} from '@paved-road/plugin-paved-road-node';
import express from 'express';
import Router from 'express-promise-router';
import { BudgetAlerts } from '../budgets/BudgetAlerts';
import { BudgetService } from '../budgets/BudgetService';
import { DatabaseBudgetStore } from '../budgets/DatabaseBudgetStore';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { scheduleDimensionsRefresh } from '../dimensions/refreshDimensions';
import { DeploymentSettingsReader } from '../estimates/DeploymentSettingsReader';
import { DatabaseRollupStore } from '../rollups/DatabaseRollupStore';
import { createReadRollup, ReadRollup } from '../rollups/readRollup';
import { createBudgetsRouter } from './budgetsRouter';
import {
  createEntityReportExtender,
  ExtendEntityReport,
} from './entityReportExtras';
import { createEstimateRouter } from './estimateRouter';
import { readPlanningConfig } from './planningConfig';
import { createRollupsRouter } from './rollupsRouter';

/** Task id of the budget check, one run at a time across all replicas. */
export const COSTS_BUDGET_ALERTS_TASK_ID = 'costs-budget-alerts';

/**
 * Wires estimates, roll-ups and budgets: their stores, their scheduled
 * tasks (dimensions refresh, budget alerts, audit delivery) and routes.
 */
export async function setUpPlanning(deps: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  auth: AuthService;
  discovery: DiscoveryService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  notifications: NotificationService;
  audit: PavedRoadAuditService;
  defaultCurrency: string;
  now?: () => Date;
}): Promise<{
  router: express.Router;
  extendReport: ExtendEntityReport;
  readRollup: ReadRollup;
}> {
  const { config, logger, database, scheduler, auth, httpAuth } = deps;
  const now = deps.now ?? (() => new Date());
  const settings = readPlanningConfig(config);

  // One after another: the first migrates for all
  const dimensions = await DatabaseDimensionsStore.create({ database });
  const rollups = await DatabaseRollupStore.create({ database });
  const budgetStore = await DatabaseBudgetStore.create({ database });
  const outbox = await AuditOutbox.create({
    database,
    scheduler,
    logger,
    audit: deps.audit,
    pluginId: 'costs',
  });

  await scheduleDimensionsRefresh({
    scheduler,
    schedule: settings.dimensionsSchedule,
    catalog: deps.catalog,
    auth,
    store: dimensions,
    logger,
  });

  const budgets = new BudgetService({
    budgets: budgetStore,
    rollups,
    dimensions,
    permissions: deps.permissions,
    audit: outbox,
    defaultCurrency: deps.defaultCurrency,
    atRiskRatio: settings.atRiskRatio,
    now,
  });

  if (settings.alerts.enabled) {
    const alerts = new BudgetAlerts({
      budgets: budgetStore,
      rollups,
      dimensions,
      notifications: deps.notifications,
      logger,
      spikeFactor: settings.alerts.spikeFactor,
      explorerPath: settings.alerts.explorerPath,
      now,
    });
    await scheduler.scheduleTask({
      id: COSTS_BUDGET_ALERTS_TASK_ID,
      scope: 'global',
      ...settings.alerts.schedule,
      fn: async () => {
        await alerts.check();
      },
    });
  }

  const readRollup = createReadRollup({
    rollups,
    defaultCurrency: deps.defaultCurrency,
    now,
  });
  const router = Router();
  router.use(
    createEstimateRouter({ httpAuth, priceSheet: settings.priceSheet, now }),
  );
  router.use(
    createRollupsRouter({
      httpAuth,
      rollups,
      readRollup,
      defaultCurrency: deps.defaultCurrency,
      now,
    }),
  );
  router.use(createBudgetsRouter({ httpAuth, budgets }));

  return {
    router,
    readRollup,
    extendReport: createEntityReportExtender({
      settings: new DeploymentSettingsReader({
        discovery: deps.discovery,
        auth,
        logger,
      }),
      priceSheet: settings.priceSheet,
      dimensions,
      budgets,
    }),
  };
}
