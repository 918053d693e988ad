import {
  FINISHED_DEPLOYMENT_STATUSES,
  type Deployment,
} from '@paved-road/plugin-deployments-common';

/** Deployments the engine ran (sample history is never rolled back to). */
function realIn(deployments: Deployment[], environment?: string) {
  return deployments.filter(
    d =>
      d.source === 'portal' &&
      (environment === undefined || d.environment === environment),
  );
}

/**
 * What a rollback of `environment` would do, read from the history (newest
 * first): replace the version serving now with the last successful one
 * before it that differs, as the backend chooses it. Undefined when there is
 * no such version.
 */
export function rollbackTarget(
  deployments: Deployment[],
  environment: string,
): { from: string; to: string } | undefined {
  const succeeded = realIn(deployments, environment).filter(
    d => d.status === 'succeeded',
  );
  const [current] = succeeded;
  const target = succeeded.find(d => d.commitSha !== current?.commitSha);
  return current?.commitSha && target?.commitSha
    ? { from: current.commitSha, to: target.commitSha }
    : undefined;
}

/**
 * The newest deployment (to `environment`, or to any) that has not finished
 * yet, if any.
 */
export function runningDeployment(
  deployments: Deployment[],
  environment?: string,
): Deployment | undefined {
  return realIn(deployments, environment).find(
    d => !FINISHED_DEPLOYMENT_STATUSES.includes(d.status),
  );
}
