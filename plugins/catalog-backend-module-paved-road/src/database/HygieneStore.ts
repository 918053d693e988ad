import { HygieneProblem } from '@paved-road/plugin-paved-road-common';

/** What the processor concluded about one owned entity. */
export interface EntityHygiene {
  /** As the catalog stores it (`stringifyEntityRef`). */
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  businessUnit: string | null;
  costCenter: string | null;
  /** Empty when the entity is clean. */
  problems: HygieneProblem[];
}

/** A stored entity with problems. */
export interface HygieneRecord extends EntityHygiene {
  updatedAt: Date;
  /**
   * Whether the catalog stores the entity: false until it has processed
   * cleanly once, so it has no entity page yet.
   */
  inCatalog: boolean;
  /** Where the entity is defined (the catalog's location key), if known. */
  source: string | null;
}

/** Persistence of the hygiene list. */
export interface HygieneStore {
  /**
   * Applies one batch: entities with problems are upserted (their
   * `updatedAt` set to `now`), clean ones are deleted.
   */
  apply(batch: EntityHygiene[], now: Date): Promise<void>;
  /**
   * Entities with problems that are registered in the catalog (stored or
   * failing), so dry runs through `validate-entity` never show.
   */
  list(): Promise<HygieneRecord[]>;
  /** The refs of every stored row, registered or not. */
  listRefs(): Promise<string[]>;
  /**
   * Deletes rows last judged before `updatedBefore` whose entity is no
   * longer registered. Returns how many rows went.
   */
  prune(options: { updatedBefore: Date }): Promise<number>;
}
