import { costsApiRef } from './api';
import { costsPlugin, EntityCostContent } from './plugin';

describe('costs plugin (legacy frontend system)', () => {
  it('provides the costs API and the Cost tab', () => {
    expect(costsPlugin.getId()).toBe('costs');
    expect([...costsPlugin.getApis()].map(f => f.api.id)).toEqual([
      costsApiRef.id,
    ]);
    expect(EntityCostContent).toBeDefined();
  });
});
