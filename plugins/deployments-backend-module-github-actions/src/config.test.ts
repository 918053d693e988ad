import { ConfigReader } from '@backstage/config';
import { readGithubActionsConfig } from './config';

const read = (githubActions?: unknown) =>
  readGithubActionsConfig(
    new ConfigReader(
      githubActions === undefined ? {} : { deployments: { githubActions } },
    ),
  );

describe('readGithubActionsConfig', () => {
  it('defaults to cd.yaml, a 5 s poll and a 2 minute run lookup', () => {
    expect(read()).toEqual({
      workflow: 'cd.yaml',
      pollIntervalMs: 5_000,
      runLookupTimeoutMs: 120_000,
    });
  });

  it('reads durations as objects or strings', () => {
    expect(
      read({
        workflow: 'deploy.yml',
        pollInterval: { seconds: 10 },
        runLookupTimeout: '5m',
      }),
    ).toEqual({
      workflow: 'deploy.yml',
      pollIntervalMs: 10_000,
      runLookupTimeoutMs: 300_000,
    });
  });

  it('refuses a workflow that is not a file name, and a zero duration', () => {
    expect(() => read({ workflow: '../other/cd.yaml' })).toThrow(
      /deployments\.githubActions\.workflow must be a workflow file name/,
    );
    expect(() => read({ pollInterval: { seconds: 0 } })).toThrow(
      'deployments.githubActions.pollInterval must be a positive duration',
    );
  });
});
