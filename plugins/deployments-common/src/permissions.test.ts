import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  deploymentCreatePermission,
  deploymentSettingsUpdatePermission,
  deploymentsPermissions,
  projectDeactivatePermission,
} from './permissions';

describe('deployments permissions', () => {
  it('are catalog-entity resource permissions with the expected names', () => {
    expect(
      deploymentsPermissions.map(p => [p.name, p.attributes.action]),
    ).toEqual([
      ['deployments.deployment.create', 'create'],
      ['deployments.settings.update', 'update'],
      ['deployments.project.deactivate', 'update'],
    ]);
    for (const permission of deploymentsPermissions) {
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
    }
  });

  it('lists every exported permission exactly once', () => {
    expect(deploymentsPermissions).toEqual([
      deploymentCreatePermission,
      deploymentSettingsUpdatePermission,
      projectDeactivatePermission,
    ]);
  });
});
