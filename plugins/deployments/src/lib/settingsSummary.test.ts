import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { settingsSummary } from './settingsSummary';

describe('settingsSummary', () => {
  it('puts the settings in one line', () => {
    expect(settingsSummary(DEFAULT_DEPLOYMENT_SETTINGS)).toBe(
      '2 × 500m CPU / 512 MiB, eu-west-1, canary 10%',
    );
  });

  it('names other strategies without a share', () => {
    expect(
      settingsSummary({
        ...DEFAULT_DEPLOYMENT_SETTINGS,
        regions: ['eu-west-1', 'us-east-1'],
        rollout: {
          ...DEFAULT_DEPLOYMENT_SETTINGS.rollout,
          strategy: 'rolling',
        },
      }),
    ).toBe('2 × 500m CPU / 512 MiB, eu-west-1, us-east-1, rolling');
  });
});
