import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** What every action says about the entity it works on. */
export const ENTITY_REF_DESCRIPTION =
  'The service, as an entity ref `kind:namespace/name`, e.g. `component:default/orders-service`; a bare name means a component in the default namespace.';

/** The catalog's lowercase ref, or InputError naming the field. */
export function entityRefInput(value: string, field = 'entityRef'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(
      `${field}: '${value}' is not an entity ref like component:default/orders-service`,
    );
  }
}
