import { InputError } from '@backstage/errors';
import { CostEstimate } from '@paved-road/plugin-costs-common';
import {
  DeploymentSettings,
  deploymentSettingsSchema,
} from '@paved-road/plugin-paved-road-common';
import { DateTime } from 'luxon';
import { lookUpPrice, PriceSheet } from './priceSheet';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Validates settings with the one deployment settings schema; the error
 * names the field, e.g. `settings.replicas: Number must be less than or
 * equal to 50`.
 */
export function parseSettings(
  value: unknown,
  field = 'settings',
): DeploymentSettings {
  const parsed = deploymentSettingsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...issue.path].join('.');
    throw new InputError(`${path}: ${issue.message}`);
  }
  return parsed.data;
}

/** `YYYY-MM` of a month; the current month (UTC) when absent. */
export function parseMonth(value: unknown, now: Date): string {
  if (value === undefined) {
    return DateTime.fromJSDate(now, { zone: 'utc' }).toFormat('yyyy-MM');
  }
  if (typeof value !== 'string' || !MONTH.test(value)) {
    throw new InputError('month must be a month YYYY-MM');
  }
  return value;
}

/** Hours of a `YYYY-MM` month, in UTC (no daylight saving). */
export function hoursInMonth(month: string): number {
  const start = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  return start.daysInMonth! * 24;
}

/**
 * The monthly cost of running settings: for each region, replicas ×
 * (vCPUs × price per vCPU-hour + GiB × price per GiB-hour) × hours of the
 * month. Money is rounded to cents per line, and the total is the sum of
 * the lines, so the breakdown always adds up.
 */
export function estimateCost(options: {
  settings: DeploymentSettings;
  sheet: PriceSheet;
  month: string;
}): CostEstimate {
  const { settings, sheet, month } = options;
  const hours = hoursInMonth(month);
  const vcpus = settings.cpuMillicores / 1000;
  const gib = settings.memoryMiB / 1024;

  const lines = settings.regions.map(region => {
    const price = lookUpPrice(sheet, settings.cluster, region);
    const cpuHours = settings.replicas * vcpus * hours;
    const memoryGiBHours = settings.replicas * gib * hours;
    const cpuCost = cents(cpuHours * price.perVcpuHour);
    const memoryCost = cents(memoryGiBHours * price.perGiBHour);
    return {
      cluster: settings.cluster,
      region,
      replicas: settings.replicas,
      cpuHours,
      memoryGiBHours,
      pricePerCpuHour: price.perVcpuHour,
      pricePerGiBHour: price.perGiBHour,
      cpuCost,
      memoryCost,
      total: cents(cpuCost + memoryCost),
    };
  });

  return {
    currency: sheet.currency,
    month,
    hoursInMonth: hours,
    monthlyTotal: cents(lines.reduce((sum, line) => sum + line.total, 0)),
    lines,
  };
}

function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
