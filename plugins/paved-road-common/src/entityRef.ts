import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * @public
 * Builds the lowercase entity ref (`kind:namespace/name`) from the
 * `:namespace/:kind/:name` path parameters every Paved Road API uses, or
 * undefined when a part is missing or malformed.
 */
export function entityRefFromPathParams(params: {
  namespace?: string;
  kind?: string;
  name?: string;
}): string | undefined {
  const { namespace, kind, name } = params;
  if (![namespace, kind, name].every(p => p !== undefined && PART.test(p))) {
    return undefined;
  }
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}

/**
 * @public
 * The catalog's lowercase form of an entity ref given as `kind:namespace/name`
 * (the kind and namespace may be left out when defaults are given), so refs
 * compare equal however they were spelled; undefined when it is not a ref.
 */
export function normalizeEntityRef(
  value: string,
  defaults: { defaultKind?: string; defaultNamespace?: string } = {},
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: defaults.defaultKind,
        defaultNamespace: defaults.defaultNamespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
