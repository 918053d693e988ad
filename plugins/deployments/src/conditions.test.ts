import type { Entity } from '@backstage/catalog-model';
import { isDeploymentsAvailable, isPavedRoadProject } from './conditions';

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

describe('isPavedRoadProject', () => {
  const withAnnotations = (annotations: Record<string, string>): Entity => ({
    ...entity('Component', 'library'),
    metadata: { name: 'x', annotations },
  });

  it('accepts entities with a deployment descriptor or a source template', () => {
    expect(
      isPavedRoadProject(
        withAnnotations({
          'paved-road.io/deployment': 'deploy/paved-road.yaml',
        }),
      ),
    ).toBe(true);
    expect(
      isPavedRoadProject(
        withAnnotations({
          'backstage.io/source-template': 'template:default/kotlin-library',
        }),
      ),
    ).toBe(true);
  });

  it('leaves other entities alone', () => {
    expect(isPavedRoadProject(entity('Component', 'service'))).toBe(false);
    expect(
      isPavedRoadProject(
        withAnnotations({ 'backstage.io/techdocs-ref': 'dir:.' }),
      ),
    ).toBe(false);
  });
});
