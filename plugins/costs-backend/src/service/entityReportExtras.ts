import { EntityCostReport } from '@paved-road/plugin-costs-common';
import { DateTime } from 'luxon';
import { BudgetService } from '../budgets/BudgetService';
import { runRateForecast } from '../budgets/forecast';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { DeploymentSettingsReader } from '../estimates/DeploymentSettingsReader';
import { estimateCost } from '../estimates/estimate';
import { PriceSheet } from '../estimates/priceSheet';

/** What the ingested rows alone tell about an entity. */
export type ActualCostReport = Omit<
  EntityCostReport,
  'costCenter' | 'forecast' | 'estimate' | 'budget'
>;

/** Adds to a report of actual cost what is planned for the entity. */
export type ExtendEntityReport = (
  report: ActualCostReport,
) => Promise<EntityCostReport>;

/**
 * The forecast (run rate of the month of `to`), the estimate from the
 * current deployment settings (month of `to`), and the budget of the
 * entity's cost center this month.
 */
export function createEntityReportExtender(options: {
  settings: DeploymentSettingsReader;
  priceSheet: PriceSheet | undefined;
  dimensions: DatabaseDimensionsStore;
  budgets: BudgetService;
}): ExtendEntityReport {
  const { settings, priceSheet, dimensions, budgets } = options;
  return async report => {
    const to = DateTime.fromISO(report.to, { zone: 'utc' });
    const [current, dimension] = await Promise.all([
      priceSheet ? settings.getCurrent(report.entityRef) : undefined,
      dimensions.getEntity(report.entityRef),
    ]);
    const costCenter = dimension?.costCenter ?? null;
    return {
      ...report,
      costCenter,
      forecast: runRateForecast(report.monthToDate, to.day, to.daysInMonth!),
      estimate:
        current && priceSheet
          ? estimateCost({
              settings: current,
              sheet: priceSheet,
              month: to.toFormat('yyyy-MM'),
            })
          : null,
      budget: costCenter
        ? await budgets.getReport('cost-center', costCenter)
        : null,
    };
  };
}
