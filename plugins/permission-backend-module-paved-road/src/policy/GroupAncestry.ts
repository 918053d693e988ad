import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** Lower-cased group ref to its parents' refs. */
type Parents = Map<string, string[]>;

/**
 * Expands a user's ownership refs with every ancestor group, so that a
 * member of `checkout` (child of `payments`) also counts as a member of
 * `payments`.
 *
 * The whole group hierarchy is read from the catalog in one call and reused
 * for `ttlMs`: decisions do not call the catalog in the steady state.
 */
export class GroupAncestry {
  private readonly catalog: CatalogService;
  private readonly auth: AuthService;
  private readonly logger: LoggerService;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private cached?: { parents: Parents; loadedAt: number };
  private loading?: Promise<Parents>;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    ttlMs: number;
    now?: () => number;
  }) {
    this.catalog = options.catalog;
    this.auth = options.auth;
    this.logger = options.logger;
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * The given refs plus every group above them, spelled as the catalog
   * spells them (the catalog's own rules compare them exactly).
   */
  async expand(refs: string[]): Promise<string[]> {
    const parents = await this.parents();
    const seen = new Set<string>();
    const result: string[] = [];
    const pending = [...refs];
    while (pending.length > 0) {
      const ref = pending.pop()!;
      if (!seen.has(key(ref))) {
        seen.add(key(ref));
        result.push(ref);
        pending.push(...(parents.get(key(ref)) ?? []));
      }
    }
    return result;
  }

  private async parents(): Promise<Parents> {
    if (this.cached && this.now() - this.cached.loadedAt < this.ttlMs) {
      return this.cached.parents;
    }
    // Concurrent decisions share one catalog read.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    try {
      return await this.loading;
    } catch (error) {
      // Without the hierarchy a user keeps only their direct groups: a
      // child-group member is denied rather than anyone being over-allowed.
      this.logger.warn(
        `Could not read the group hierarchy from the catalog; using ${
          this.cached ? 'the previous one' : 'direct memberships only'
        }: ${error}`,
      );
      return this.cached?.parents ?? new Map();
    }
  }

  private async load(): Promise<Parents> {
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: 'Group' },
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'relations'],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    const parents: Parents = new Map();
    for (const group of items) {
      parents.set(key(stringifyEntityRef(group)), parentRefs(group));
    }
    this.cached = { parents, loadedAt: this.now() };
    return parents;
  }
}

function parentRefs(group: Entity): string[] {
  return (group.relations ?? [])
    .filter(relation => relation.type === RELATION_CHILD_OF)
    .map(relation => relation.targetRef);
}

function key(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
