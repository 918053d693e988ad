import {
  isReadPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { costsPermissions, costsReportReadPermission } from './permissions';

describe('costs permissions', () => {
  it('guards reading a report per catalog entity', () => {
    expect(costsReportReadPermission.name).toBe('costs.report.read');
    expect(isReadPermission(costsReportReadPermission)).toBe(true);
    expect(
      isResourcePermission(costsReportReadPermission, 'catalog-entity'),
    ).toBe(true);
  });

  it('lists every permission once, so the registry sees them all', () => {
    expect(costsPermissions).toContain(costsReportReadPermission);
    expect(new Set(costsPermissions.map(p => p.name)).size).toBe(
      costsPermissions.length,
    );
  });
});
