import type { Entity } from '@backstage/catalog-model';

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
