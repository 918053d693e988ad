import { CATALOG_INFO, DESCRIPTOR } from '../__testUtils__/localGitProject';
import {
  editCatalogInfo,
  editDescriptor,
  parseDescriptor,
} from './settingsFile';

const settings = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1'],
  rollout: {
    strategy: 'canary' as const,
    canaryPercent: 50,
    healthCheckPath: '/actuator/health',
  },
};

describe('parseDescriptor', () => {
  it('reads the settings of a descriptor', () => {
    expect(parseDescriptor(DESCRIPTOR)).toEqual({ settings });
  });

  it.each([
    ['replicas: 2 #', 'replicas: 0 #', /^spec\.replicas: /],
    ['strategy: canary', 'strategy: blue-green', /^spec\.rollout\.strategy: /],
    ['kind: DeploymentSettings', 'kind: Other', /^kind: /],
    ['  regions:', '  regions: [', /^invalid YAML: /],
  ])('names the field when %p becomes %p', (from, to, message) => {
    const result = parseDescriptor(DESCRIPTOR.replace(from, to));
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('editDescriptor', () => {
  it('changes only the values that differ, keeping comments and order', () => {
    const edited = editDescriptor(DESCRIPTOR, {
      ...settings,
      memoryMiB: 1024,
      regions: ['eu-west-1', 'eu-central-1'],
    });
    expect(edited).toBe(
      DESCRIPTOR.replace('memoryMiB: 512', 'memoryMiB: 1024').replace(
        '    - eu-west-1\n',
        '    - eu-west-1\n    - eu-central-1\n',
      ),
    );
  });

  it('removes list items that are gone', () => {
    const two = editDescriptor(DESCRIPTOR, {
      ...settings,
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(editDescriptor(two, { ...settings, regions: ['us-east-1'] })).toBe(
      DESCRIPTOR.replace('- eu-west-1', '- us-east-1'),
    );
  });
});

describe('editCatalogInfo', () => {
  const entity = { kind: 'Component', name: 'orders-kt' };
  const deactivation = {
    by: 'user:default/alice',
    at: '2026-03-01T10:00:00.000Z',
  };

  it('deprecates the entity, says who and when, and keeps the other documents', () => {
    const edited = editCatalogInfo(CATALOG_INFO, entity, deactivation);

    expect(edited).toBe(
      CATALOG_INFO.replace(
        '    paved-road.io/deployment: deploy/paved-road.yaml\n',
        [
          '    paved-road.io/deployment: deploy/paved-road.yaml',
          '    paved-road.io/lifecycle-before-deactivation: experimental',
          '    paved-road.io/deactivated-by: user:default/alice',
          '    paved-road.io/deactivated-at: 2026-03-01T10:00:00.000Z',
          '',
        ].join('\n'),
      ).replace(
        'type: service\n  lifecycle: experimental',
        'type: service\n  lifecycle: deprecated',
      ),
    );
    // Idempotent: deactivating again changes nothing.
    expect(editCatalogInfo(edited, entity, deactivation)).toBe(edited);
  });

  it('reactivates to the lifecycle it had before', () => {
    const deactivated = editCatalogInfo(CATALOG_INFO, entity, deactivation);
    const reactivated = editCatalogInfo(deactivated, entity, null);
    expect(reactivated).toBe(CATALOG_INFO);
    expect(editCatalogInfo(reactivated, entity, null)).toBe(CATALOG_INFO);
  });

  it('refuses a file that does not define the entity', () => {
    expect(() =>
      editCatalogInfo(CATALOG_INFO, { kind: 'Component', name: 'other' }, null),
    ).toThrow('catalog-info.yaml has no Component named other');
  });
});
