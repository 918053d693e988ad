import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  ROLLOUT_STRATEGIES,
} from '@paved-road/plugin-paved-road-common';
import {
  formatFieldValue,
  getAt,
  setAt,
  settingsFields,
  validateDraft,
} from './settingsFields';

function leafPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    child !== null && typeof child === 'object' && !Array.isArray(child)
      ? leafPaths(child, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('settingsFields', () => {
  it('has one input for every setting', () => {
    expect(settingsFields.map(f => f.path)).toEqual(
      leafPaths(DEFAULT_DEPLOYMENT_SETTINGS),
    );
  });

  it('takes bounds and options from the schema', () => {
    const byPath = Object.fromEntries(settingsFields.map(f => [f.path, f]));
    expect(byPath.replicas).toMatchObject({ kind: 'integer', min: 1, max: 50 });
    expect(byPath.cpuMillicores).toMatchObject({ min: 100, max: 16000 });
    expect(byPath.memoryMiB).toMatchObject({ min: 128, max: 65536 });
    expect(byPath.regions).toMatchObject({
      kind: 'list',
      minItems: 1,
      maxItems: 6,
    });
    expect(byPath['rollout.strategy']).toEqual(
      expect.objectContaining({
        kind: 'select',
        options: [...ROLLOUT_STRATEGIES],
      }),
    );
    expect(byPath['rollout.canaryPercent']).toMatchObject({ min: 1, max: 50 });
    expect(byPath.cluster).toMatchObject({ kind: 'text', label: 'Cluster' });
  });

  it('shows the canary share only for canary rollouts', () => {
    const canary = settingsFields.find(
      f => f.path === 'rollout.canaryPercent',
    )!;
    const draft = { ...DEFAULT_DEPLOYMENT_SETTINGS };
    expect(canary.shownWhen?.(draft)).toBe(true);
    expect(
      canary.shownWhen?.(setAt(draft, 'rollout.strategy', 'rolling')),
    ).toBe(false);
  });
});

describe('validateDraft', () => {
  it('accepts valid settings and fills defaults', () => {
    const draft = setAt({ ...DEFAULT_DEPLOYMENT_SETTINGS }, 'rollout', {
      strategy: 'rolling',
    });
    const result = validateDraft(draft);
    expect(result.valid).toBe(true);
    expect(result.valid && result.settings.rollout).toEqual({
      strategy: 'rolling',
      canaryPercent: 10,
      healthCheckPath: '/actuator/health',
    });
  });

  it('keys the schema messages by field path', () => {
    let draft = setAt({ ...DEFAULT_DEPLOYMENT_SETTINGS }, 'replicas', 0);
    draft = setAt(draft, 'regions', ['eu-west-1', 'nowhere']);
    draft = setAt(draft, 'memoryMiB', undefined);
    const result = validateDraft(draft);

    expect(result.valid).toBe(false);
    expect(Object.keys(result.errors).sort()).toEqual([
      'memoryMiB',
      'regions.1',
      'replicas',
    ]);
    expect(result.errors['regions.1']).toBe('region like eu-west-1');
    expect(result.errors.replicas).toMatch(/>=1/);
  });

  it('rejects a seventh region at the list', () => {
    const regions = Array.from({ length: 7 }, () => 'eu-west-1');
    const result = validateDraft(
      setAt({ ...DEFAULT_DEPLOYMENT_SETTINGS }, 'regions', regions),
    );
    expect(result.errors.regions).toMatch(/6/);
  });
});

describe('paths and values', () => {
  it('reads and writes nested values without touching the original', () => {
    const draft = { ...DEFAULT_DEPLOYMENT_SETTINGS };
    const changed = setAt(draft, 'rollout.canaryPercent', 25);
    expect(getAt(changed, 'rollout.canaryPercent')).toBe(25);
    expect(getAt(changed, 'rollout.strategy')).toBe('canary');
    expect(draft.rollout.canaryPercent).toBe(10);
    expect(getAt(draft, 'nothing.here')).toBeUndefined();
  });

  it('formats values with their unit', () => {
    const field = (path: string) => settingsFields.find(f => f.path === path)!;
    expect(formatFieldValue(field('memoryMiB'), 512)).toBe('512 MiB');
    expect(formatFieldValue(field('rollout.canaryPercent'), 10)).toBe('10%');
    expect(formatFieldValue(field('regions'), ['a', 'b'])).toBe('a, b');
    expect(formatFieldValue(field('cluster'), undefined)).toBe('—');
  });
});
