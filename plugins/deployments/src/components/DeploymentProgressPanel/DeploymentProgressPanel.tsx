import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import StopIcon from '@material-ui/icons/Stop';
import Alert from '@material-ui/lab/Alert';
import {
  FINISHED_DEPLOYMENT_STATUSES,
  type DeploymentDetails,
  type DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
import { useEffect, useRef, useState } from 'react';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { useDeploymentProgress } from '../../hooks/useDeploymentProgress';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, shortSha } from '../../lib/format';
import { ActorLink } from '../common/ActorLink';
import { CommitLink } from '../common/CommitLink';
import { DeploymentStatusChip } from '../common/DeploymentStatusChip';
import { GatedButton } from '../common/GatedButton';
import { DeploymentLog } from './DeploymentLog';
import { DeploymentOutcome } from './DeploymentOutcome';
import { StageTable } from './StageTable';

function title(deployment: DeploymentDetails | undefined): string {
  if (!deployment) {
    return 'Deployment';
  }
  const version = shortSha(deployment.commitSha ?? deployment.version);
  return deployment.kind === 'rollback'
    ? `Rollback of ${deployment.environment} to ${version}`
    : `Deployment of ${version} to ${deployment.environment}`;
}

function Facts(props: {
  deployment: DeploymentDetails;
  commitUrl: string | null;
}) {
  const { deployment, commitUrl } = props;
  return (
    <Typography variant="body2" color="textSecondary" component="div">
      {deployment.ref && deployment.kind === 'deploy' && (
        <>
          <code>{deployment.ref}</code> at{' '}
        </>
      )}
      <CommitLink commitSha={deployment.commitSha} commitUrl={commitUrl} />
      {deployment.settingsVersion !== null &&
        `, settings version ${deployment.settingsVersion}`}
      {', '}
      {deployment.strategy}, started by{' '}
      <ActorLink actor={deployment.triggeredBy} /> at{' '}
      {formatDateTime(deployment.startedAt)}
      {deployment.attempts > 1 &&
        `, resumed after a backend restart (run ${deployment.attempts})`}
      {deployment.cancelRequestedBy && (
        <>
          , cancel asked by <ActorLink actor={deployment.cancelRequestedBy} />
        </>
      )}
    </Typography>
  );
}

/**
 * One deployment as it runs: its stages live, its log, Cancel while it has
 * not finished, and how it ended. `onStatusChange` hears every change of
 * status after the first read, so the page can reload what depends on it.
 */
export function DeploymentProgressPanel(props: {
  deploymentId: string;
  entityRef: { kind: string; namespace: string; name: string };
  /** A browsable page of a commit, when the repository host has one. */
  commitUrlFor?: (sha: string) => string | null;
  /** Why Cancel is disabled (no permission); undefined enables it. */
  cancelBlockedBy?: string;
  /** Cancel disabled without a reason while the permission is checked. */
  cancelPending?: boolean;
  onStatusChange?: (status: DeploymentStatus) => void;
  onClose: () => void;
}) {
  const {
    deploymentId,
    entityRef,
    commitUrlFor,
    cancelBlockedBy,
    cancelPending,
    onStatusChange,
    onClose,
  } = props;
  const api = useApi(deploymentsApiRef);
  const progress = useDeploymentProgress(
    deploymentId,
    stringifyEntityRef(entityRef),
  );
  const { details, lines, error, live } = progress;
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string>();

  const status = details?.status;
  const seen = useRef<DeploymentStatus | undefined>(undefined);
  useEffect(() => {
    if (!status) return;
    if (seen.current !== undefined && seen.current !== status) {
      onStatusChange?.(status);
    }
    seen.current = status;
  }, [status, onStatusChange]);
  useEffect(() => {
    seen.current = undefined;
    setCancelError(undefined);
  }, [deploymentId]);

  const finished =
    status !== undefined && FINISHED_DEPLOYMENT_STATUSES.includes(status);

  const cancel = async () => {
    setCancelling(true);
    setCancelError(undefined);
    try {
      progress.setDetails(await api.cancelDeployment(deploymentId));
    } catch (e) {
      setCancelError(errorMessage(e));
    } finally {
      setCancelling(false);
    }
  };

  const action = (
    <Box display="flex" alignItems="center">
      {details && !finished && (
        <GatedButton
          startIcon={<StopIcon />}
          onClick={cancel}
          disabledReason={
            cancelBlockedBy ??
            (details.cancelRequestedBy ? 'Cancelling…' : undefined)
          }
          pending={cancelPending || cancelling}
        >
          Cancel
        </GatedButton>
      )}
      <IconButton aria-label="Close deployment" onClick={onClose}>
        <CloseIcon />
      </IconButton>
    </Box>
  );

  return (
    <InfoCard
      title={
        <Box display="flex" alignItems="center" gridGap={12}>
          {title(details)}
          {status && (
            <DeploymentStatusChip status={status} reason={details?.reason} />
          )}
        </Box>
      }
      subheader={live ? undefined : 'Updated every second while it runs.'}
      action={action}
    >
      {!details && !error && <Progress />}
      {error && (
        <Alert severity="warning">
          Could not read the deployment: {errorMessage(error)}
        </Alert>
      )}
      {cancelError && <Alert severity="error">{cancelError}</Alert>}
      {details && (
        <Box display="flex" flexDirection="column" gridGap={16}>
          <Facts
            deployment={details}
            commitUrl={
              details.commitSha && commitUrlFor
                ? commitUrlFor(details.commitSha)
                : null
            }
          />
          <DeploymentOutcome deployment={details} />
          <StageTable
            stages={details.stages}
            now={details.finishedAt ?? new Date().toISOString()}
          />
          <DeploymentLog lines={lines} />
        </Box>
      )}
    </InfoCard>
  );
}
