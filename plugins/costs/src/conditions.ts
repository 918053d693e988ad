import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_COST_CENTER } from '@paved-road/plugin-paved-road-common';

/**
 * Whether an entity has a Cost tab: it names the cost center it is billed
 * to. For `EntitySwitch.Case if={isCostsAvailable}` in legacy apps.
 *
 * @public
 */
export function isCostsAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_COST_CENTER]);
}
