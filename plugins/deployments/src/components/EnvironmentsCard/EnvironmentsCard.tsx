import type { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import MuiLink from '@material-ui/core/Link';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import {
  FINISHED_DEPLOYMENT_STATUSES,
  type DeploymentEnvironment,
} from '@paved-road/plugin-deployments-common';
import { useState } from 'react';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, formatExpiry, shortSha } from '../../lib/format';
import { ActorLink } from '../common/ActorLink';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { DeploymentStatusChip } from '../common/DeploymentStatusChip';
import { GatedButton } from '../common/GatedButton';

const useStyles = makeStyles({
  opener: { display: 'inline-flex', alignItems: 'center', gap: 6 },
});

/** What the row of an environment can do; the card's caller decides. */
interface RowActions {
  onSelect: (environment: string) => void;
  onOpenDeployment: (environment: string, deploymentId: string) => void;
  onTearDown: (environment: DeploymentEnvironment) => void;
  /** Why Tear down is disabled (no permission); undefined enables it. */
  teardownBlockedBy?: string;
  /** Tear down disabled without a reason while the permission is checked. */
  teardownPending?: boolean;
}

function LastDeployment(props: {
  environment: DeploymentEnvironment;
  onOpen: (deploymentId: string) => void;
}) {
  const { environment, onOpen } = props;
  const classes = useStyles();
  const last = environment.lastDeployment;
  if (!last) {
    return <>Never deployed</>;
  }
  const version = last.commitSha ? shortSha(last.commitSha) : last.ref;
  return (
    <>
      <MuiLink
        component="button"
        className={classes.opener}
        onClick={() => onOpen(last.id)}
        aria-label={`Open the last deployment to ${environment.name}`}
      >
        <DeploymentStatusChip status={last.status} />
        {version && <code>{version}</code>}
      </MuiLink>
      {last.triggeredBy && (
        <>
          {' '}
          by <ActorLink actor={last.triggeredBy} />
        </>
      )}
      , {formatDateTime(last.startedAt)}
    </>
  );
}

function EnvironmentRow(
  props: RowActions & { environment: DeploymentEnvironment; selected: boolean },
) {
  const { environment, selected, teardownBlockedBy } = props;
  const { name, branch, url, instances, lastDeployment, expiresAt } =
    environment;
  const running =
    lastDeployment &&
    !FINISHED_DEPLOYMENT_STATUSES.includes(lastDeployment.status);
  return (
    <TableRow selected={selected}>
      <TableCell component="th" scope="row">
        <MuiLink
          component="button"
          onClick={() => props.onSelect(name)}
          aria-current={selected ? 'true' : undefined}
        >
          {name}
        </MuiLink>
        {branch && (
          <Typography variant="body2" color="textSecondary">
            branch <code>{branch}</code>
          </Typography>
        )}
      </TableCell>
      <TableCell>{url ? <Link to={url}>{url}</Link> : '—'}</TableCell>
      <TableCell>
        {instances.total === 0
          ? 'none'
          : `${instances.healthy}/${instances.total} healthy`}
      </TableCell>
      <TableCell>
        <LastDeployment
          environment={environment}
          onOpen={id => props.onOpenDeployment(name, id)}
        />
      </TableCell>
      <TableCell>{expiresAt ? formatExpiry(expiresAt) : '—'}</TableCell>
      <TableCell align="right">
        {environment.kind === 'preview' && (
          <GatedButton
            startIcon={<DeleteIcon />}
            onClick={() => props.onTearDown(environment)}
            disabledReason={
              teardownBlockedBy ??
              (running
                ? `A deployment to ${name} is running: wait for it or cancel it`
                : undefined)
            }
            pending={props.teardownPending}
          >
            Tear down
          </GatedButton>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * Where the service runs: its standard environments and the previews of
 * branches, each with its stable URL, healthy instances, last deployment
 * (opened on click) and, for a preview, when it expires and Tear down
 * (after a confirmation). Clicking a name selects that environment.
 */
export function EnvironmentsCard(
  props: Omit<RowActions, 'onTearDown'> & {
    entityRef: CompoundEntityRef;
    environments: DeploymentEnvironment[] | undefined;
    /** The last read failed; what was read before stays shown. */
    error?: Error;
    selected: string;
    /** After a preview was torn down. */
    onTornDown: (environment: string) => void;
  },
) {
  const { entityRef, environments, error, selected, onTornDown, ...actions } =
    props;
  const api = useApi(deploymentsApiRef);
  const [tearingDown, setTearingDown] = useState<DeploymentEnvironment>();

  let content;
  if (!environments && !error) {
    content = <Progress />;
  } else if (environments?.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        The service has not been deployed anywhere yet.
      </Typography>
    );
  } else if (environments) {
    content = (
      <Table size="small" aria-label="Environments">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>URL</TableCell>
            <TableCell>Instances</TableCell>
            <TableCell>Last deployment</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {environments.map(environment => (
            <EnvironmentRow
              key={environment.name}
              {...actions}
              environment={environment}
              selected={environment.name === selected}
              onTearDown={setTearingDown}
            />
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard
      title="Environments"
      subheader="Select one to see what runs there, its figures and its history."
    >
      {error && (
        <Alert severity="warning">
          The environments could not be read: {errorMessage(error)}
        </Alert>
      )}
      {content}
      {tearingDown && (
        <ConfirmDialog
          title={`Tear down ${tearingDown.name}?`}
          confirmLabel="Tear down"
          destructive
          onConfirm={async () => {
            await api.teardownEnvironment(entityRef, tearingDown.name);
            onTornDown(tearingDown.name);
          }}
          onClose={() => setTearingDown(undefined)}
        >
          Every instance of {tearingDown.name} stops and its URL goes away.
          {tearingDown.branch &&
            ` Deploy ${tearingDown.branch} as a preview again to bring it back.`}
        </ConfirmDialog>
      )}
    </InfoCard>
  );
}
