import { createPermission } from '@backstage/plugin-permission-common';

/**
 * @public
 * Reading an entity's cost report. A resource permission on the catalog
 * entity, so a policy can allow it for, say, the entity's owners only.
 */
export const costsReportReadPermission = createPermission({
  name: 'costs.report.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/** @public Every permission of the costs plugin. */
export const costsPermissions = [costsReportReadPermission];
