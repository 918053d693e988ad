/**
 * Annotation keys Paved Road reads and writes. Everything lives under the
 * `paved-road.io/` domain so it never collides with other plugins.
 */

/** @public The cost center an entity is billed to, e.g. `CC-1001`. */
export const ANNOTATION_COST_CENTER = 'paved-road.io/cost-center';

/**
 * @public
 * On a business-unit Group: the cost centers it owns, comma separated; the
 * first one is the default for entities that name none.
 */
export const ANNOTATION_COST_CENTERS = 'paved-road.io/cost-centers';

/** @public The business unit (a Group entity ref) an entity rolls up to. */
export const ANNOTATION_BUSINESS_UNIT = 'paved-road.io/business-unit';

/**
 * @public
 * Path, inside the entity's repository, of its deployment descriptor. Its
 * presence marks an entity as deployable through Paved Road.
 */
export const ANNOTATION_DEPLOYMENT_DESCRIPTOR = 'paved-road.io/deployment';

/** @public Group `spec.type` that marks a business unit. */
export const GROUP_TYPE_BUSINESS_UNIT = 'business-unit';

/**
 * @public
 * On an entity a Paved Road template created: the version of that template
 * it was made from (the template's `backstage.io/template-version`, else a
 * `sha256:` hash of its directory). `backstage.io/source-template` names the
 * template.
 */
export const ANNOTATION_TEMPLATE_VERSION = 'paved-road.io/template-version';

/**
 * @public
 * On a Template: its declared version, the annotation Backstage's
 * `catalog:template:version` action writes.
 */
export const ANNOTATION_DECLARED_TEMPLATE_VERSION =
  'backstage.io/template-version';
