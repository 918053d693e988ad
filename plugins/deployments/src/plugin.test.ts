import { deploymentsApiRef } from './api/DeploymentsApi';
import { deploymentsPlugin } from './plugin';

describe('deploymentsPlugin (legacy frontend system)', () => {
  it('provides the deployments api', () => {
    expect(deploymentsPlugin.getId()).toBe('deployments');
    expect([...deploymentsPlugin.getApis()].map(f => f.api)).toEqual([
      deploymentsApiRef,
    ]);
  });
});
