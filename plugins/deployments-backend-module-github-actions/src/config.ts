import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** `deployments.githubActions`, with its defaults applied. */
export interface GithubActionsConfig {
  /** File name in `.github/workflows` or numeric id. */
  workflow: string;
  pollIntervalMs: number;
  runLookupTimeoutMs: number;
}

export const DEFAULT_GITHUB_ACTIONS_CONFIG: GithubActionsConfig = {
  workflow: 'cd.yaml',
  pollIntervalMs: 5_000,
  runLookupTimeoutMs: 120_000,
};

function duration(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) {
    return fallback;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0)) {
    throw new Error(
      `deployments.githubActions.${key} must be a positive duration`,
    );
  }
  return ms;
}

/** Reads and checks `deployments.githubActions`; every key is optional. */
export function readGithubActionsConfig(root: Config): GithubActionsConfig {
  const config =
    root.getOptionalConfig('deployments.githubActions') ?? new ConfigReader({});
  const workflow =
    config.getOptionalString('workflow')?.trim() ||
    DEFAULT_GITHUB_ACTIONS_CONFIG.workflow;
  // A path segment of the API: a file name or an id, nothing else.
  if (!/^[A-Za-z0-9._-]+$/.test(workflow)) {
    throw new Error(
      `deployments.githubActions.workflow must be a workflow file name such as cd.yaml, got ${JSON.stringify(
        workflow,
      )}`,
    );
  }
  return {
    workflow,
    pollIntervalMs: duration(
      config,
      'pollInterval',
      DEFAULT_GITHUB_ACTIONS_CONFIG.pollIntervalMs,
    ),
    runLookupTimeoutMs: duration(
      config,
      'runLookupTimeout',
      DEFAULT_GITHUB_ACTIONS_CONFIG.runLookupTimeoutMs,
    ),
  };
}
