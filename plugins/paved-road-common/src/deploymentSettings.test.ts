import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  deploymentSettingsSchema,
} from './deploymentSettings';

describe('deploymentSettingsSchema', () => {
  it('accepts the defaults', () => {
    expect(deploymentSettingsSchema.parse(DEFAULT_DEPLOYMENT_SETTINGS)).toEqual(
      DEFAULT_DEPLOYMENT_SETTINGS,
    );
  });

  it('names the offending field', () => {
    const result = deploymentSettingsSchema.safeParse({
      ...DEFAULT_DEPLOYMENT_SETTINGS,
      replicas: 0,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['replicas']);
  });

  it('rejects a health check path that is not absolute', () => {
    const result = deploymentSettingsSchema.safeParse({
      ...DEFAULT_DEPLOYMENT_SETTINGS,
      rollout: { strategy: 'canary', healthCheckPath: 'http://evil' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual([
      'rollout',
      'healthCheckPath',
    ]);
  });
});
