import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_TEMPLATE_VERSION } from '@paved-road/plugin-paved-road-common';

/**
 * Whether the template upgrade card applies: a project that records the
 * template version it was made from (`paved-road.io/template-version`).
 * For `EntitySwitch.Case if={isTemplateUpgradeAvailable}`.
 *
 * @public
 */
export function isTemplateUpgradeAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION]);
}
