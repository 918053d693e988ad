import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';

/** ui:options of the AvailableEntityNamePicker. */
export type EntityNamePickerUiOptions = {
  /** Kind of the entity the template creates. Default: Component. */
  kind?: string;
  /** Its namespace. Default: default. */
  namespace?: string;
};

/**
 * Why `name` cannot be used (an entity of that kind and namespace exists),
 * or undefined when it is free. The backend checks again before writing.
 */
export async function takenBy(
  catalogApi: CatalogApi,
  name: string,
  options: EntityNamePickerUiOptions = {},
): Promise<string | undefined> {
  const ref = {
    kind: options.kind ?? 'Component',
    namespace: options.namespace ?? 'default',
    name,
  };
  const existing = await catalogApi.getEntityByRef(ref);
  if (!existing) return undefined;
  const owner = existing.spec?.owner;
  return `${stringifyEntityRef(existing)} already exists${
    typeof owner === 'string' ? ` (owned by ${owner})` : ''
  }; choose another name`;
}
