import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@paved-road/plugin-paved-road-common';

/** What every action says about the entity it works on. */
export const ENTITY_REF_DESCRIPTION =
  'The service, as an entity ref `kind:namespace/name`, e.g. `component:default/orders-service`; a bare name means a component in the default namespace.';

/** The catalog's lowercase ref, or InputError naming the field. */
export function entityRefInput(value: string, field = 'entityRef'): string {
  const ref = normalizeEntityRef(value, { defaultKind: 'component' });
  if (!ref) {
    throw new InputError(
      `${field}: '${value}' is not an entity ref like component:default/orders-service`,
    );
  }
  return ref;
}
