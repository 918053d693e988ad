import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export const DEFAULT_AUDIT_WRITERS = [
  'plugin:scaffolder',
  'plugin:deployments',
  'plugin:costs',
  'plugin:catalog',
  'plugin:templates',
];

/** The plugin's settings, read once at startup (a typo fails the start). */
export function readPavedRoadConfig(config: Config) {
  const exportRowLimit =
    config.getOptionalNumber('pavedRoad.audit.exportRowLimit') ?? 50_000;
  if (!Number.isInteger(exportRowLimit) || exportRowLimit < 1) {
    throw new InputError(
      'pavedRoad.audit.exportRowLimit must be a positive whole number',
    );
  }
  const cacheSeconds =
    config.getOptionalNumber('pavedRoad.hygiene.cacheSeconds') ?? 5;
  if (!(cacheSeconds >= 0)) {
    throw new InputError('pavedRoad.hygiene.cacheSeconds must not be negative');
  }
  return {
    writers:
      config.getOptionalStringArray('pavedRoad.audit.writers') ??
      DEFAULT_AUDIT_WRITERS,
    exportRowLimit,
    hygieneCacheMs: cacheSeconds * 1000,
  };
}
