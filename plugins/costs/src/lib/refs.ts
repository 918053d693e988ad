import { parseEntityRef } from '@backstage/catalog-model';

/**
 * A short label for a roll-up key: the name of an entity ref
 * (`group:default/payments` → `payments`), else the key itself (`CC-1001`).
 */
export function keyLabel(key: string): string {
  if (!key.includes(':')) {
    return key;
  }
  try {
    const { namespace, name } = parseEntityRef(key);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return key;
  }
}
