import type { Deployment } from '@paved-road/plugin-deployments-common';
import { rollbackTarget, runningDeployment } from './rollback';

let id = 0;
function run(overrides: Partial<Deployment>): Deployment {
  id += 1;
  return {
    id: `d${id}`,
    entityRef: 'component:default/orders-service',
    environment: 'production',
    version: overrides.commitSha ?? '1.0.0',
    status: 'succeeded',
    strategy: 'canary',
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:01:00.000Z',
    source: 'portal',
    commitSha: null,
    reason: null,
    ...overrides,
  };
}

describe('rollbackTarget', () => {
  it('is the last successful version before the current one that differs', () => {
    expect(
      rollbackTarget(
        [
          run({ commitSha: 'ccc', status: 'rolled-back' }),
          run({ commitSha: 'bbb' }),
          run({ commitSha: 'bbb' }),
          run({ commitSha: 'aaa', environment: 'staging' }),
          run({ commitSha: 'ddd', status: 'failed' }),
          run({ commitSha: 'aaa' }),
        ],
        'production',
      ),
    ).toEqual({ from: 'bbb', to: 'aaa' });
  });

  it('is undefined with one successful version, or only sample history', () => {
    expect(
      rollbackTarget(
        [
          run({ commitSha: 'bbb' }),
          run({ commitSha: 'bbb' }),
          run({ source: 'sample', version: '1.4.1' }),
          run({ commitSha: 'aaa', status: 'failed' }),
        ],
        'production',
      ),
    ).toBeUndefined();
    expect(rollbackTarget([], 'production')).toBeUndefined();
  });
});

describe('runningDeployment', () => {
  it('finds the newest unfinished real deployment', () => {
    const pending = run({ status: 'pending', environment: 'staging' });
    const deployments = [
      run({ status: 'in-progress', source: 'sample' }),
      pending,
      run({ status: 'succeeded' }),
    ];

    expect(runningDeployment(deployments)).toBe(pending);
    expect(runningDeployment(deployments, 'staging')).toBe(pending);
    expect(runningDeployment(deployments, 'production')).toBeUndefined();
  });
});
