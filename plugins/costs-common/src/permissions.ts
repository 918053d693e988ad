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

/**
 * @public
 * Setting or changing a budget. The resource is the business-unit Group
 * that owns the cost center, so a policy can allow it for that business
 * unit's members.
 */
export const costsBudgetUpdatePermission = createPermission({
  name: 'costs.budget.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** @public Every permission of the costs plugin. */
export const costsPermissions = [
  costsReportReadPermission,
  costsBudgetUpdatePermission,
];
