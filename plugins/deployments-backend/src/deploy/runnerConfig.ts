import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** How runners poll, beat and give up; `deployments.runner` in app-config. */
export interface RunnerConfig {
  pollIntervalMs: number;
  heartbeatIntervalMs: number;
  staleAfterMs: number;
  maxAttempts: number;
  concurrency: number;
}

export const DEFAULT_RUNNER_CONFIG: RunnerConfig = {
  pollIntervalMs: 2_000,
  heartbeatIntervalMs: 5_000,
  staleAfterMs: 30_000,
  maxAttempts: 3,
  concurrency: 2,
};

function duration(config: Config, key: string, fallback: number): number {
  return config.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

function positiveInteger(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`deployments.runner.${key} must be a positive integer`);
  }
  return value;
}

/** Reads and checks `deployments.runner`; every key is optional. */
export function readRunnerConfig(root: Config): RunnerConfig {
  const config =
    root.getOptionalConfig('deployments.runner') ?? new ConfigReader({});
  const runner: RunnerConfig = {
    pollIntervalMs: duration(
      config,
      'pollInterval',
      DEFAULT_RUNNER_CONFIG.pollIntervalMs,
    ),
    heartbeatIntervalMs: duration(
      config,
      'heartbeatInterval',
      DEFAULT_RUNNER_CONFIG.heartbeatIntervalMs,
    ),
    staleAfterMs: duration(
      config,
      'staleAfter',
      DEFAULT_RUNNER_CONFIG.staleAfterMs,
    ),
    maxAttempts: positiveInteger(
      config,
      'maxAttempts',
      DEFAULT_RUNNER_CONFIG.maxAttempts,
    ),
    concurrency: positiveInteger(
      config,
      'concurrency',
      DEFAULT_RUNNER_CONFIG.concurrency,
    ),
  };
  // Two missed beats before a live runner's work looks abandoned.
  if (runner.staleAfterMs < 2 * runner.heartbeatIntervalMs) {
    throw new Error(
      'deployments.runner.staleAfter must be at least twice deployments.runner.heartbeatInterval',
    );
  }
  return runner;
}
