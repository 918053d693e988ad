import { createPermission } from '@backstage/plugin-permission-common';
import { templateHealthCheckCreatePermission } from './health';

/**
 * Upgrade a project to a newer version of its template. Scoped to the
 * project's catalog entity, so a policy can let its owners do it. It only
 * opens a branch or pull request; merging stays with the team.
 *
 * @public
 */
export const templateProjectUpgradePermission = createPermission({
  name: 'templates.project.upgrade',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** @public Every permission of the templates plugin, for registration. */
export const templatesPermissions = [
  templateProjectUpgradePermission,
  templateHealthCheckCreatePermission,
];
