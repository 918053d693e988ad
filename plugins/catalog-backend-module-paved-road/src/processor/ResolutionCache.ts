type Key = string | undefined;

/**
 * Values keyed by the four things an ownership resolution depends on (owner
 * field, namespace, owner, authored cost center). Nested maps rather than
 * one joined string key: a lookup allocates nothing and cannot mistake one
 * user-written value for another, and it runs for every owned entity on
 * every processing cycle. Cleared whole when it reaches `maxSize`, which
 * bounds memory when owners or cost centers are junk.
 */
export class ResolutionCache<T> {
  readonly #maxSize: number;
  #root = new Map<Key, Map<Key, Map<Key, Map<Key, T>>>>();
  #size = 0;

  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  get size(): number {
    return this.#size;
  }

  get(field: Key, namespace: Key, owner: Key, costCenter: Key): T | undefined {
    return this.#root.get(field)?.get(namespace)?.get(owner)?.get(costCenter);
  }

  set(field: Key, namespace: Key, owner: Key, costCenter: Key, value: T) {
    if (this.#size >= this.#maxSize) {
      this.#root = new Map();
      this.#size = 0;
    }
    const byCostCenter = child(
      child(child(this.#root, field), namespace),
      owner,
    );
    if (!byCostCenter.has(costCenter)) {
      this.#size += 1;
    }
    byCostCenter.set(costCenter, value);
  }
}

function child<V>(map: Map<Key, Map<Key, V>>, key: Key): Map<Key, V> {
  let next = map.get(key);
  if (!next) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}
