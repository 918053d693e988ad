import { Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { UpgradeWorkerConfig } from './UpgradeWorker';

function positiveInteger(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `templates.upgrades.${key} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

/** `templates.upgrades` with its defaults (config.d.ts documents them). */
export function readUpgradeConfig(root: Config): UpgradeWorkerConfig {
  const config =
    root.getOptionalConfig('templates.upgrades') ?? new ConfigReader({});
  const staleAfterSeconds = positiveInteger(config, 'staleAfterSeconds', 120);
  return {
    concurrency: positiveInteger(config, 'concurrency', 2),
    staleAfterMs: staleAfterSeconds * 1000,
    maxAttempts: positiveInteger(config, 'maxAttempts', 3),
    // Several beats per stale period, so one slow beat does not lose a job.
    heartbeatMs: Math.max(1000, Math.floor((staleAfterSeconds * 1000) / 8)),
  };
}
