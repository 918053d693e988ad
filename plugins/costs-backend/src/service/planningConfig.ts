import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { DEFAULT_SPIKE_FACTOR } from '../budgets/BudgetAlerts';
import { DEFAULT_AT_RISK_RATIO } from '../budgets/forecast';
import { readPriceSheet, PriceSheet } from '../estimates/priceSheet';

/** Often, so a new team or service shows in roll-ups within seconds; unchanged copies are not rewritten. */
export const DEFAULT_DIMENSIONS_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 10 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 3 },
  };

export const DEFAULT_ALERTS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 20 },
};

export const DEFAULT_EXPLORER_PATH = '/costs';

/** Estimates, roll-ups, budgets and alerts: `costs.priceSheet`, `costs.dimensions`, `costs.budgets`, `costs.alerts`. */
export interface PlanningConfig {
  priceSheet: PriceSheet | undefined;
  dimensionsSchedule: SchedulerServiceTaskScheduleDefinition;
  atRiskRatio: number;
  alerts: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    spikeFactor: number;
    explorerPath: string;
  };
}

export function readPlanningConfig(config: Config): PlanningConfig {
  const atRiskRatio =
    config.getOptionalNumber('costs.budgets.atRiskRatio') ??
    DEFAULT_AT_RISK_RATIO;
  if (!(atRiskRatio > 0 && atRiskRatio <= 1)) {
    throw new InputError(
      `costs.budgets.atRiskRatio ${atRiskRatio} must be above 0 and at most 1`,
    );
  }
  const spikeFactor =
    config.getOptionalNumber('costs.alerts.spikeFactor') ??
    DEFAULT_SPIKE_FACTOR;
  if (!(spikeFactor > 1)) {
    throw new InputError(
      `costs.alerts.spikeFactor ${spikeFactor} must be above 1`,
    );
  }
  const explorerPath =
    config.getOptionalString('costs.alerts.explorerPath') ??
    DEFAULT_EXPLORER_PATH;
  if (!explorerPath.startsWith('/')) {
    throw new InputError(
      `costs.alerts.explorerPath '${explorerPath}' must start with /`,
    );
  }
  return {
    priceSheet: readPriceSheet(config),
    dimensionsSchedule: readSchedule(
      config,
      'costs.dimensions.schedule',
      DEFAULT_DIMENSIONS_SCHEDULE,
    ),
    atRiskRatio,
    alerts: {
      enabled: config.getOptionalBoolean('costs.alerts.enabled') ?? true,
      schedule: readSchedule(
        config,
        'costs.alerts.schedule',
        DEFAULT_ALERTS_SCHEDULE,
      ),
      spikeFactor,
      explorerPath,
    },
  };
}

function readSchedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}
