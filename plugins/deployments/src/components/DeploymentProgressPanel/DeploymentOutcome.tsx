import Alert from '@material-ui/lab/Alert';
import type { DeploymentDetails } from '@paved-road/plugin-deployments-common';
import { formatDuration, shortSha } from '../../lib/format';

/**
 * How a deployment ended (or that it waits for a runner), with the reason a
 * failure or rollback gave.
 */
export function DeploymentOutcome(props: { deployment: DeploymentDetails }) {
  const { deployment } = props;
  const { status, environment, reason, startedAt, finishedAt } = deployment;
  const version = shortSha(deployment.commitSha ?? deployment.version);
  const took = finishedAt
    ? ` after ${formatDuration(startedAt, finishedAt)}`
    : '';
  const because = reason ? `: ${reason}` : '';
  const outcome = {
    pending: {
      severity: 'info' as const,
      text: 'Waiting for a runner to start it.',
    },
    'in-progress': undefined,
    succeeded: {
      severity: 'success' as const,
      text: `Succeeded${took}: ${version} serves ${environment}.`,
    },
    failed: {
      severity: 'error' as const,
      text: `Failed${took}${because}`,
    },
    'rolled-back': {
      severity: 'warning' as const,
      text: `Rolled back${took}${because}. The previous version still serves ${environment}.`,
    },
  }[status];
  if (!outcome) {
    return null;
  }
  return (
    <Alert severity={outcome.severity} data-testid="deployment-outcome">
      {outcome.text}
    </Alert>
  );
}
