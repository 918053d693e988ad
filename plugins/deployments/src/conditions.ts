import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_DEPLOYMENT_DESCRIPTOR } from '@paved-road/plugin-paved-road-common';

/** Set by the scaffolder on every entity a template registered. */
export const SOURCE_TEMPLATE_ANNOTATION = 'backstage.io/source-template';

/**
 * Whether the Deployments tab applies to an entity: Paved Road deploys
 * services only. Mirrors the new frontend system's tab filter.
 *
 * @public
 */
export function isDeploymentsAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    String(entity.spec?.type).toLocaleLowerCase('en-US') === 'service'
  );
}

/**
 * Whether the paved road made this entity: it carries a deployment
 * descriptor or names the template it was created from. Decides where the
 * project card appears, in both frontend systems.
 *
 * @public
 */
export function isPavedRoadProject(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[ANNOTATION_DEPLOYMENT_DESCRIPTOR] ||
      annotations[SOURCE_TEMPLATE_ANNOTATION],
  );
}
