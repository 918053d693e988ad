import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

// The catalog's own default when catalog.processingInterval is unset: each
// entity is processed every 100 to 150 s.
const DEFAULT_MAX_INTERVAL_MS = 150_000;

/**
 * How long a hygiene row may go without a new judgement before it counts as
 * belonging to an entity that left the catalog: three of the catalog's
 * longest processing intervals (which it draws between 1x and 1.5x the
 * configured value).
 */
export function readHygienePruneAgeMs(config: Config): number {
  const key = 'catalog.processingInterval';
  if (!config.has(key) || !config.get(key)) {
    return 3 * DEFAULT_MAX_INTERVAL_MS;
  }
  const interval = durationToMilliseconds(
    readDurationFromConfig(config, { key }),
  );
  return 3 * Math.max(1000, interval * 1.5);
}
