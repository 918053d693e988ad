import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import { diffSettings } from './settingsDiff';

describe('diffSettings', () => {
  it('lists only the changed settings, labelled and formatted', () => {
    const after: DeploymentSettings = {
      ...DEFAULT_DEPLOYMENT_SETTINGS,
      memoryMiB: 1024,
      regions: ['eu-west-1', 'us-east-1'],
      rollout: { ...DEFAULT_DEPLOYMENT_SETTINGS.rollout, strategy: 'rolling' },
    };

    expect(diffSettings(DEFAULT_DEPLOYMENT_SETTINGS, after)).toEqual([
      {
        path: 'memoryMiB',
        label: 'Memory',
        before: '512 MiB',
        after: '1024 MiB',
      },
      {
        path: 'regions',
        label: 'Regions',
        before: 'eu-west-1',
        after: 'eu-west-1, us-east-1',
      },
      {
        path: 'rollout.strategy',
        label: 'Rollout strategy',
        before: 'canary',
        after: 'rolling',
      },
    ]);
  });

  it('is empty for equal settings', () => {
    expect(
      diffSettings(DEFAULT_DEPLOYMENT_SETTINGS, {
        ...DEFAULT_DEPLOYMENT_SETTINGS,
      }),
    ).toEqual([]);
  });
});
