import type { Entity } from '@backstage/catalog-model';
import { isCostsAvailable } from './conditions';

function component(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', annotations },
    spec: { type: 'service' },
  };
}

describe('isCostsAvailable', () => {
  it('needs the cost-center annotation', () => {
    expect(
      isCostsAvailable(component({ 'paved-road.io/cost-center': 'CC-1001' })),
    ).toBe(true);
    expect(isCostsAvailable(component())).toBe(false);
    expect(
      isCostsAvailable(component({ 'paved-road.io/cost-center': '' })),
    ).toBe(false);
  });
});
