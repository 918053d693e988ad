import { ANNOTATION_COST_CENTER, ANNOTATION_COST_CENTERS } from './annotations';
import type { OwnershipProblem } from './ownership';

/**
 * @public
 * A problem code on the hygiene list: the ownership problems of
 * {@link OwnershipProblem}, `business-unit-cost-centers` for a business
 * unit whose own `paved-road.io/cost-centers` list is empty or malformed,
 * and `invalid-deployment-settings` for a project whose deployment
 * descriptor (`deploy/paved-road.yaml`) at the head of its repository is
 * invalid (reported by the deployments plugin).
 */
export type HygieneProblemCode =
  | OwnershipProblem['code']
  | 'business-unit-cost-centers'
  | 'invalid-deployment-settings';

/**
 * @public
 * Annotation the catalog module writes on an entity whose ownership problems
 * are warnings (`pavedRoad.ownership.enforcement: warn`): a JSON array of
 * the messages, each worded as its processing error would be (so
 * {@link classifyHygieneMessage} reads it). The catalog does not let a
 * processor add `status` items, and its processing errors stop the entity
 * from updating, hence an annotation. Owned by the module: a value an
 * author writes is dropped.
 */
export const ANNOTATION_OWNERSHIP_PROBLEMS = 'paved-road.io/ownership-problems';

/**
 * @public
 * The messages of {@link ANNOTATION_OWNERSHIP_PROBLEMS}; anything that is
 * not a JSON array of strings gives none.
 */
export function readOwnershipProblems(value: string | undefined): string[] {
  if (!value) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed)
      ? parsed.filter((m): m is string => typeof m === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * @public
 * How a hygiene problem is enforced: `error` keeps the entity from updating
 * (a catalog processing error), `warning` does not.
 */
export type HygieneSeverity = 'error' | 'warning';

/** @public One problem of an entity, with the message the catalog shows. */
export interface HygieneProblem {
  code: HygieneProblemCode;
  /** Absent (from a backend before this field) means `error`. */
  severity?: HygieneSeverity;
  /**
   * The processing error text, naming the field (`spec.owner: …`), or for
   * `invalid-deployment-settings` the file, commit and field
   * (`deploy/paved-road.yaml at 1a2b3c4d5e6f: spec.replicas: …`).
   */
  message: string;
  /** `invalid-deployment-settings` only: the commit holding the bad file. */
  commitSha?: string | null;
  /** `invalid-deployment-settings` only: ISO time it was first seen. */
  detectedAt?: string;
}

/**
 * @public
 * An entity with at least one ownership, cost-center or deployment-settings
 * problem.
 */
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
  /** ISO time these problems were read from the catalog's processing errors. */
  updatedAt: string;
  /**
   * False while the entity has never processed cleanly: the catalog does not
   * store it yet, so it has no entity page and these problems are the only
   * place its processing errors show.
   */
  inCatalog: boolean;
  /**
   * Where the entity is defined, as the catalog's location (e.g.
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
 * Response of `GET /api/paved-road/hygiene`: groups sorted by business unit
 * (the unresolved `null` group last), items by entity ref.
 */
export interface HygieneReport {
  groups: HygieneGroup[];
}

// `spec.owner`, `spec.owner (and spec.system … )` or `spec.system <ref> owner`
const OWNER_FIELD =
  /^spec\.(?:owner(?: \(and spec\.system [^)]*\))?|system \S+ owner): /;
const COST_CENTER_FIELD = `metadata.annotations.${ANNOTATION_COST_CENTER}: `;
const COST_CENTERS_FIELD = `metadata.annotations.${ANNOTATION_COST_CENTERS}: `;

/**
 * @public
 * The hygiene problem a catalog processing error describes, if it is one of
 * the Paved Road ownership processor's: its messages start with the field
 * they concern (`spec.owner: …`, `metadata.annotations.paved-road.io/…: …`).
 * Anything else (another processor's error) gives `undefined`.
 */
export function classifyHygieneMessage(
  message: string,
): HygieneProblemCode | undefined {
  if (message.startsWith(COST_CENTERS_FIELD)) {
    return 'business-unit-cost-centers';
  }
  if (message.startsWith(COST_CENTER_FIELD)) {
    const rest = message.slice(COST_CENTER_FIELD.length);
    if (rest.startsWith('not set, and no default is available')) {
      return 'no-cost-centers';
    }
    if (/^Cost center .* does not belong to business unit /.test(rest)) {
      return 'cost-center-not-in-business-unit';
    }
    if (/^Cost center .* does not match the format /.test(rest)) {
      return 'malformed-cost-center';
    }
    return undefined;
  }
  const owner = OWNER_FIELD.exec(message);
  if (!owner) {
    return undefined;
  }
  const rest = message.slice(owner[0].length);
  if (rest.startsWith('no owner is set')) {
    return 'missing-owner';
  }
  if (/^Owner \S+ has no business unit above it: /.test(rest)) {
    return 'no-business-unit';
  }
  if (/^Owner .* is not /.test(rest)) {
    return 'unknown-owner';
  }
  return undefined;
}
