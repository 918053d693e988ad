import type { Entity } from '@backstage/catalog-model';
import { isDeploymentsAvailable } from './conditions';

function entity(kind: string, type?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x' },
    spec: type === undefined ? {} : { type },
  };
}

describe('isDeploymentsAvailable', () => {
  it('accepts services only', () => {
    expect(isDeploymentsAvailable(entity('Component', 'service'))).toBe(true);
    expect(isDeploymentsAvailable(entity('component', 'Service'))).toBe(true);
    expect(isDeploymentsAvailable(entity('Component', 'library'))).toBe(false);
    expect(isDeploymentsAvailable(entity('Component'))).toBe(false);
    expect(isDeploymentsAvailable(entity('API', 'service'))).toBe(false);
  });
});
