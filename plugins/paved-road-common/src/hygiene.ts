import type { OwnershipProblem } from './ownership';

/**
 * @public
 * A problem code on the hygiene list: the ownership problems of
 * {@link OwnershipProblem}, plus `business-unit-cost-centers` for a business
 * unit whose own `paved-road.io/cost-centers` list is empty or malformed.
 */
export type HygieneProblemCode =
  | OwnershipProblem['code']
  | 'business-unit-cost-centers';

/** @public One problem of an entity, with the message the catalog shows. */
export interface HygieneProblem {
  code: HygieneProblemCode;
  /** The processing error text, naming the field (`spec.owner: …`). */
  message: string;
}

/** @public An entity with at least one ownership or cost-center problem. */
export interface HygieneItem {
  /** Entity ref as the catalog stores it, e.g. `component:default/legacy-billing`. */
  entityRef: string;
  /** `metadata.title`, else `metadata.name`. */
  title: string;
  /** The owner as written (or inherited from the system), if any. */
  owner: string | null;
  /** The cost center as written or defaulted, if any. */
  costCenter: string | null;
  problems: HygieneProblem[];
  /** ISO time the processor last judged the entity. */
  updatedAt: string;
  /**
   * False while the entity has never processed cleanly: the catalog does not
   * store it yet, so it has no entity page and these problems are the only
   * place its processing errors show.
   */
  inCatalog: boolean;
  /**
   * Where the entity is defined, as the catalog's location key (e.g.
   * `url:https://…/catalog-info.yaml`), if known. Plain text, never a link.
   */
  source: string | null;
}

/** @public Hygiene items of one business unit; `null` for unresolved owners. */
export interface HygieneGroup {
  /** Business-unit Group entity ref, or null when the owner resolves to none. */
  businessUnit: string | null;
  items: HygieneItem[];
}

/**
 * @public
 * Response of `GET /api/catalog/paved-road/hygiene`: groups sorted by
 * business unit (the unresolved `null` group last), items by entity ref.
 */
export interface HygieneReport {
  groups: HygieneGroup[];
}
