import type { Config } from '@backstage/config';

/** `templates.health.*` with defaults applied; see config.d.ts. */
export type TemplateHealthConfig = {
  collectEveryMinutes: number;
  windowDays: number;
  minTasks: number;
  degradedSuccessRate: number;
  failingSuccessRate: number;
  minDeployedProjects: number;
  degradedDeployRate: number;
  degradedReports: number;
};

export const DEFAULT_TEMPLATE_HEALTH_CONFIG: TemplateHealthConfig = {
  collectEveryMinutes: 10,
  windowDays: 30,
  minTasks: 5,
  degradedSuccessRate: 0.9,
  failingSuccessRate: 0.5,
  minDeployedProjects: 3,
  degradedDeployRate: 0.8,
  degradedReports: 3,
};

const RATES = [
  'degradedSuccessRate',
  'failingSuccessRate',
  'degradedDeployRate',
] as const;

/** Reads `templates.health`, failing at start-up on a value that cannot work. */
export function readTemplateHealthConfig(config: Config): TemplateHealthConfig {
  const health = config.getOptionalConfig('templates.health');
  const result = { ...DEFAULT_TEMPLATE_HEALTH_CONFIG };
  for (const key of Object.keys(result) as (keyof TemplateHealthConfig)[]) {
    const value = health?.getOptionalNumber(key);
    if (value !== undefined) {
      result[key] = value;
    }
  }
  for (const key of RATES) {
    if (result[key] < 0 || result[key] > 1) {
      throw new Error(
        `templates.health.${key} must be between 0 and 1, got ${result[key]}`,
      );
    }
  }
  if (result.failingSuccessRate > result.degradedSuccessRate) {
    throw new Error(
      'templates.health.failingSuccessRate must not be above templates.health.degradedSuccessRate',
    );
  }
  for (const key of [
    'collectEveryMinutes',
    'windowDays',
    'minTasks',
    'minDeployedProjects',
    'degradedReports',
  ] as const) {
    if (!(result[key] > 0)) {
      throw new Error(
        `templates.health.${key} must be positive, got ${result[key]}`,
      );
    }
  }
  return result;
}
