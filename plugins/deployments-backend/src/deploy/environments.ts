import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  isPreviewEnvironment,
  MAX_ENVIRONMENT_NAME_LENGTH,
  PREVIEW_ENVIRONMENT_PREFIX,
  previewEnvironmentName,
} from '@paved-road/plugin-deployments-common';

/** Lowercase letters, digits and dashes; what providers use in names and URLs. */
export const ENVIRONMENT_NAME_PATTERN = new RegExp(
  `^[a-z0-9][a-z0-9-]{0,${MAX_ENVIRONMENT_NAME_LENGTH - 1}}$`,
);

const DEFAULT_STANDARD_ENVIRONMENTS = ['production'];
const DEFAULT_PREVIEW_TTL_MS = durationToMilliseconds({ days: 3 });
const DEFAULT_CLEANUP_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 10 },
  initialDelay: { minutes: 1 },
};

/** `deployments.environments` and `deployments.previews` in app-config. */
export interface EnvironmentsConfig {
  /** The standard environments, in the order the environments list shows them. */
  standard: string[];
  /** How long a preview lives after its last deployment. */
  previewTtlMs: number;
  /** When the TTL task looks for expired previews. */
  cleanupSchedule: SchedulerServiceTaskScheduleDefinition;
}

/** Reads and checks the environment keys; every one is optional. */
export function readEnvironmentsConfig(config: Config): EnvironmentsConfig {
  const standard =
    config.getOptionalStringArray('deployments.environments') ??
    DEFAULT_STANDARD_ENVIRONMENTS;
  for (const name of standard) {
    if (!ENVIRONMENT_NAME_PATTERN.test(name) || isPreviewEnvironment(name)) {
      throw new Error(
        `deployments.environments: ${JSON.stringify(
          name,
        )} must be lowercase letters, digits and dashes, at most ${MAX_ENVIRONMENT_NAME_LENGTH}, and not start with ${PREVIEW_ENVIRONMENT_PREFIX}`,
      );
    }
  }
  if (standard.length === 0 || new Set(standard).size !== standard.length) {
    throw new Error(
      'deployments.environments must name at least one environment, each once',
    );
  }
  const previewTtlMs = config.has('deployments.previews.ttl')
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: 'deployments.previews.ttl' }),
      )
    : DEFAULT_PREVIEW_TTL_MS;
  if (!(previewTtlMs > 0)) {
    throw new Error('deployments.previews.ttl must be longer than nothing');
  }
  const cleanupSchedule = config.has('deployments.previews.cleanup')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('deployments.previews.cleanup'),
      )
    : DEFAULT_CLEANUP_SCHEDULE;
  return { standard, previewTtlMs, cleanupSchedule };
}

/** Where a deployment request goes; a preview names the branch it deploys. */
export type DeploymentTarget =
  | { kind: 'standard'; branch: null }
  | { kind: 'preview'; branch: string };

/**
 * A preview by its name, or a configured standard environment; any other
 * name is an InputError naming the field.
 */
export function environmentKind(
  config: EnvironmentsConfig,
  environment: string,
): DeploymentTarget['kind'] {
  if (isPreviewEnvironment(environment)) {
    return 'preview';
  }
  if (!config.standard.includes(environment)) {
    throw new InputError(
      `environment: ${environment} is neither a configured environment (${config.standard.join(
        ', ',
      )}) nor a preview (${PREVIEW_ENVIRONMENT_PREFIX}<branch>)`,
    );
  }
  return 'standard';
}

/**
 * Where a deployment goes, or an InputError naming the field: a configured
 * standard environment, or `preview-<branch>` of the branch in `ref`.
 * Whether `ref` is a branch is the repository's to say.
 */
export function deploymentTarget(
  config: EnvironmentsConfig,
  request: { ref?: string; environment: string },
): DeploymentTarget {
  const { ref, environment } = request;
  if (environmentKind(config, environment) === 'standard') {
    return { kind: 'standard', branch: null };
  }
  if (ref === undefined) {
    throw new InputError(
      `environment: a preview deploys a branch: give the branch as ref (${environment} is the preview of the branch whose name it ends with)`,
    );
  }
  const expected = previewEnvironmentName(ref);
  if (expected !== environment) {
    throw new InputError(
      `environment: a preview deploys a branch: ${expected} for ref ${ref}`,
    );
  }
  return { kind: 'preview', branch: ref };
}
