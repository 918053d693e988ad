/**
 * @public
 * On a deactivated project's entity: who deactivated it (an entity ref).
 * Written into the project's catalog-info.yaml with `spec.lifecycle: deprecated`.
 */
export const ANNOTATION_DEACTIVATED_BY = 'paved-road.io/deactivated-by';

/** @public On a deactivated project's entity: when, ISO 8601. */
export const ANNOTATION_DEACTIVATED_AT = 'paved-road.io/deactivated-at';

/**
 * @public
 * On a deactivated project's entity: the `spec.lifecycle` it had before, which
 * reactivating restores.
 */
export const ANNOTATION_LIFECYCLE_BEFORE_DEACTIVATION =
  'paved-road.io/lifecycle-before-deactivation';

/** @public The lifecycle a deactivated project gets. */
export const DEACTIVATED_LIFECYCLE = 'deprecated';
