import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Both permissions are scoped to the catalog entity being deployed, so a
 * policy can decide per entity (for example: only its owners may deploy).
 */
const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/** @public Start a deployment of an entity. */
export const deploymentCreatePermission = createPermission({
  name: 'deployments.deployment.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public Change an entity's deployment settings (adds a settings version). */
export const deploymentSettingsUpdatePermission = createPermission({
  name: 'deployments.settings.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * @public
 * Deactivate or reactivate a project (its lifecycle, its repository's
 * archived state).
 */
export const projectDeactivatePermission = createPermission({
  name: 'deployments.project.deactivate',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public Every permission of the deployments plugin, for registration. */
export const deploymentsPermissions = [
  deploymentCreatePermission,
  deploymentSettingsUpdatePermission,
  projectDeactivatePermission,
];
