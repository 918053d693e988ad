import { normalizeEntityRef } from '@paved-road/plugin-paved-road-common';
import { InputError } from '@backstage/errors';

/**
 * The catalog's lowercase form of an entity ref, so stored refs and filters
 * compare equal however the writer or reader spelled them. Throws an
 * `InputError` naming the field.
 */
export function canonicalRef(
  value: string,
  field: string,
  defaultKind?: string,
): string {
  const ref = normalizeEntityRef(value, { defaultKind });
  if (!ref) {
    throw new InputError(
      `${field}: must be an entity ref (${
        defaultKind ? '[kind:]' : 'kind:'
      }[namespace/]name)`,
    );
  }
  return ref;
}

const SERVICE_ACTOR = /^plugin:[a-z0-9][a-z0-9-]*$/i;

/** A user entity ref, or a service as `plugin:<pluginId>`. */
export function canonicalActor(value: string, field = 'actor'): string {
  if (SERVICE_ACTOR.test(value)) {
    return value.toLocaleLowerCase('en-US');
  }
  return canonicalRef(value, field, 'user');
}
