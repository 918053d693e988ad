import { applySettingAssignments, diffSettings } from './settings';

const settings = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1'],
  rollout: {
    strategy: 'canary',
    canaryPercent: 10,
    healthCheckPath: '/actuator/health',
  },
};

describe('settings assignments', () => {
  it('types each value like the one it replaces and lists what changed', () => {
    const next = applySettingAssignments(settings, [
      'replicas=3',
      'regions=eu-west-1,eu-central-1',
      'rollout.strategy=rolling',
    ]);

    expect(diffSettings(settings, next)).toEqual([
      { field: 'replicas', from: 2, to: 3 },
      {
        field: 'regions',
        from: ['eu-west-1'],
        to: ['eu-west-1', 'eu-central-1'],
      },
      { field: 'rollout.strategy', from: 'canary', to: 'rolling' },
    ]);
    expect(settings.replicas).toBe(2);
  });

  it.each([
    ['colour=blue', 'colour: not a deployment setting'],
    ['replicas=many', "replicas: 'many' is not a number"],
    ['rollout=rolling', 'rollout: not a deployment setting'],
    ['replicas', "'replicas': write key=value, e.g. replicas=3"],
  ])('refuses %s', (assignment, message) => {
    expect(() => applySettingAssignments(settings, [assignment])).toThrow(
      message,
    );
  });
});
