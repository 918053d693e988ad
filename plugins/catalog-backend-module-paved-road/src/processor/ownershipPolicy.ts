import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const ENFORCEMENTS = ['error', 'warn', 'off'] as const;
const SCOPES = ['all', 'paved-road'] as const;

/**
 * @public
 * What ownership problems do to an entity: `error` keeps it from updating
 * (a processing error), `warn` stores it with the problems as warnings,
 * `off` reports nothing. Entities are enriched in every mode.
 */
export type OwnershipEnforcement = (typeof ENFORCEMENTS)[number];

/**
 * @public
 * Which entities the processor handles: `all` owned entities, or only
 * `paved-road` ones (a `paved-road.io/` annotation; business-unit Groups
 * always). Others are returned untouched.
 */
export type OwnershipScope = (typeof SCOPES)[number];

/** Reads `pavedRoad.ownership`, failing at startup on an unknown value. */
export function readOwnershipPolicy(config: Config): {
  enforcement: OwnershipEnforcement;
  scope: OwnershipScope;
} {
  return {
    enforcement: readOneOf(
      config,
      'pavedRoad.ownership.enforcement',
      ENFORCEMENTS,
      'error',
    ),
    scope: readOneOf(config, 'pavedRoad.ownership.scope', SCOPES, 'all'),
  };
}

function readOneOf<T extends string>(
  config: Config,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = config.getOptionalString(key) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `${key} must be one of ${allowed.join(', ')}; got "${value}"`,
    );
  }
  return value as T;
}
