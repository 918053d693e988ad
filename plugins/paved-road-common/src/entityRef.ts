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
