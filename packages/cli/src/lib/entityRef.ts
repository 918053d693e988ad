import { usageError } from './errors';

export type EntityArg = {
  kind: string;
  namespace: string;
  name: string;
  /** Lowercase `kind:namespace/name`, as the Paved Road APIs return it. */
  ref: string;
  /** `namespace/kind/name`, URL-encoded: the path every entity API uses. */
  path: string;
};

// The catalog's own rules for each part. Parsed here rather than with
// @backstage/catalog-model's parseEntityRef: loading that package costs
// ~170 ms, a third of every command's start.
const KIND = /^[a-zA-Z][a-z0-9A-Z]*$/;
const NAMESPACE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/i;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * `orders-service`, `component:orders-service` and
 * `component:default/orders-service` name the same entity; the kind and
 * namespace default to `defaultKind` and `default`.
 */
export function parseEntityArg(
  value: string,
  options: { defaultKind?: string; what?: string } = {},
): EntityArg {
  const { defaultKind = 'component', what = 'entity' } = options;
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(value.trim());
  const [, kind = defaultKind, namespace = 'default', name = ''] = match ?? [];
  if (
    !match ||
    !KIND.test(kind) ||
    !NAMESPACE.test(namespace) ||
    !NAME.test(name)
  ) {
    throw usageError(
      `${what}: '${value}' is not an entity: write name, ${defaultKind}:name or ${defaultKind}:namespace/name`,
    );
  }
  const parts = [kind, namespace, name].map(p => p.toLocaleLowerCase('en-US'));
  return {
    kind: parts[0],
    namespace: parts[1],
    name: parts[2],
    ref: `${parts[0]}:${parts[1]}/${parts[2]}`,
    path: [parts[1], parts[0], parts[2]].map(encodeURIComponent).join('/'),
  };
}

/** A group argument: `checkout` is `group:default/checkout`. */
export function groupRef(value: string, what: string): string {
  return parseEntityArg(value, { defaultKind: 'group', what }).ref;
}
