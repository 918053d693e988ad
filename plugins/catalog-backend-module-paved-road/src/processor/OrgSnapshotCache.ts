import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GroupIndex, indexGroups } from '@paved-road/plugin-paved-road-common';

/** @public What the processor needs to know about the organisation. */
export interface OrgSnapshot {
  /** Group entities by lowercase entity ref. */
  groups: GroupIndex;
  /** System entities by lowercase entity ref (for the owner fallback). */
  systems: ReadonlyMap<string, Entity>;
}

/** @public */
export interface OrgSnapshotSource {
  /**
   * The current snapshot. With `maxAgeMs`, a snapshot older than that is
   * reloaded first: used when an entity names a group the snapshot does not
   * know yet (e.g. both were just registered together).
   */
  getSnapshot(options?: { maxAgeMs?: number }): Promise<OrgSnapshot>;
}

// Only what resolution reads: keeps the payload small for large orgs.
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.type',
  'spec.parent',
  'spec.owner',
];

/**
 * @public
 * In-memory, read-through snapshot of all Groups and Systems. The processor
 * reads it on every entity, so lookups never hit the network; `refresh` is
 * driven by the scheduler. Each backend replica keeps its own copy, which is
 * fine because the catalog itself is the source of truth.
 */
export class OrgSnapshotCache implements OrgSnapshotSource {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  #snapshot?: OrgSnapshot;
  // Settled with #snapshot, handed out as is: the processor awaits it for
  // every entity, and this way that allocates nothing.
  #current?: Promise<OrgSnapshot>;
  #loadedAt = 0;
  #inflight?: Promise<OrgSnapshot>;

  constructor(deps: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
  }) {
    this.#catalog = deps.catalog;
    this.#auth = deps.auth;
    this.#logger = deps.logger;
  }

  /**
   * The current snapshot; loads it on first use. A failed first load throws
   * so the entity is retried later instead of being judged against an empty
   * organisation.
   */
  getSnapshot(options?: { maxAgeMs?: number }): Promise<OrgSnapshot> {
    const maxAgeMs = options?.maxAgeMs;
    if (this.#current) {
      if (maxAgeMs === undefined || Date.now() - this.#loadedAt <= maxAgeMs) {
        return this.#current;
      }
      // A failed reload keeps the snapshot we have.
      return this.refresh().catch(() => this.#snapshot!);
    }
    return this.refresh().catch(error => {
      throw new ServiceUnavailableError(
        'Paved Road could not load the organisation (Groups) from the catalog',
        error,
      );
    });
  }

  /**
   * Reloads the organisation. Concurrent callers share one request; on
   * failure the previous snapshot stays in use.
   */
  refresh(): Promise<OrgSnapshot> {
    if (!this.#inflight) {
      this.#inflight = this.#load()
        .then(snapshot => {
          this.#snapshot = snapshot;
          this.#current = Promise.resolve(snapshot);
          this.#loadedAt = Date.now();
          return snapshot;
        })
        .finally(() => {
          this.#inflight = undefined;
        });
    }
    return this.#inflight;
  }

  async #load(): Promise<OrgSnapshot> {
    const { items } = await this.#catalog.getEntities(
      { filter: [{ kind: 'Group' }, { kind: 'System' }], fields: FIELDS },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const systems = new Map<string, Entity>();
    for (const entity of items) {
      if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
        systems.set(stringifyEntityRef(entity), entity);
      }
    }
    const groups = indexGroups(items);
    this.#logger.debug(
      `Loaded organisation snapshot: ${groups.size} groups, ${systems.size} systems`,
    );
    return { groups, systems };
  }
}
