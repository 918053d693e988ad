import { LoggerService } from '@backstage/backend-plugin-api';
import { EntityHygiene, HygieneStore } from '../database/HygieneStore';

/** Where the processor reports what it concluded about an entity. */
export interface HygieneSink {
  /** Never blocks and never throws: the processor is on the hot path. */
  record(hygiene: EntityHygiene): void;
}

/**
 * Collects the processor's conclusions in memory and writes them to the
 * store in batches, so processing never waits on a database call per
 * entity. Only the latest conclusion per entity is kept between flushes.
 * The module flushes it from a scheduled task; it keeps no timer itself.
 */
export class HygieneRecorder implements HygieneSink {
  readonly #store: HygieneStore;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  #pending = new Map<string, EntityHygiene>();
  #flushing?: Promise<void>;

  constructor(options: {
    store: HygieneStore;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  record(hygiene: EntityHygiene): void {
    this.#pending.set(hygiene.entityRef, hygiene);
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
