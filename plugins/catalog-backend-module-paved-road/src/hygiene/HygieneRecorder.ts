import { LoggerService } from '@backstage/backend-plugin-api';
import { EntityHygiene, HygieneStore } from '../database/HygieneStore';

/** Where the processor reports what it concluded about an entity. */
export interface HygieneSink {
  /**
   * Whether a verdict for this entity would change what is stored: false
   * for a clean entity known to have no row. Lets the processor skip
   * building the record for the common case.
   */
  wants(entityRef: string, clean: boolean): boolean;
  /** Never blocks and never throws: the processor is on the hot path. */
  record(hygiene: EntityHygiene): void;
}

/**
 * Collects the processor's conclusions in memory and writes them to the
 * store in batches, so processing never waits on a database call per
 * entity. Only the latest conclusion per entity is kept between flushes.
 * The module flushes it from a scheduled task; it keeps no timer itself.
 *
 * Most entities are clean on every processing cycle and have no row, so
 * their verdicts are dropped rather than turned into deletes: the recorder
 * keeps the refs that have (or may have) a row, from its own writes and from
 * `sync()` (rows another replica or an earlier run wrote). Until the first
 * sync it keeps every verdict.
 */
export class HygieneRecorder implements HygieneSink {
  readonly #store: HygieneStore;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  #pending = new Map<string, EntityHygiene>();
  #flushing?: Promise<void>;
  // Refs with a row in the store, or that may have one.
  readonly #flagged = new Set<string>();
  #synced = false;

  constructor(options: {
    store: HygieneStore;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  wants(entityRef: string, clean: boolean): boolean {
    return !clean || !this.#synced || this.#flagged.has(entityRef);
  }

  record(hygiene: EntityHygiene): void {
    const clean = hygiene.problems.length === 0;
    if (!this.wants(hygiene.entityRef, clean)) {
      return;
    }
    if (!clean) {
      this.#flagged.add(hygiene.entityRef);
    }
    this.#pending.set(hygiene.entityRef, hygiene);
  }

  /**
   * Learns which entities have a row in the store. Only adds: a ref whose
   * row is gone costs one redundant delete. Scheduled at start and then
   * periodically, which bounds how long a row another replica wrote can
   * outlive the entity's fix when this replica processes it.
   */
  async sync(): Promise<void> {
    for (const ref of await this.#store.listRefs()) {
      this.#flagged.add(ref);
    }
    this.#synced = true;
  }

  /** Number of entities waiting for the next flush. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Writes whatever is still pending (on shutdown). A failure is already
   * logged by flush(); what is lost is rebuilt by the next processing cycle.
   */
  async stop(): Promise<void> {
    await this.flush().catch(() => {});
  }

  /**
   * Writes the pending batch. Concurrent calls share the running flush and
   * then write what arrived meanwhile. A failed batch is kept (unless a newer
   * conclusion for the same entity arrived) and retried on the next flush.
   */
  async flush(): Promise<void> {
    while (this.#flushing) {
      // Its own caller gets its error; this one only waits for it.
      await this.#flushing.catch(() => {});
    }
    if (this.#pending.size === 0) {
      return;
    }
    const batch = this.#pending;
    this.#pending = new Map();
    this.#flushing = this.#store
      .apply([...batch.values()], this.#now())
      .then(() => {
        for (const [ref, entry] of batch) {
          // Unless a newer verdict with problems arrived meanwhile.
          if (
            entry.problems.length === 0 &&
            !this.#pending.get(ref)?.problems.length
          ) {
            this.#flagged.delete(ref);
          }
        }
      })
      .catch(error => {
        for (const [ref, entry] of batch) {
          if (!this.#pending.has(ref)) {
            this.#pending.set(ref, entry);
          }
        }
        this.#logger.warn(
          `Could not write the Paved Road hygiene of ${batch.size} entities; retrying at the next flush`,
          error,
        );
        throw error;
      })
      .finally(() => {
        this.#flushing = undefined;
      });
    await this.#flushing;
  }
}
