import type { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type DeploymentRuntimeInstance,
} from '@paved-road/plugin-deployments-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';
import { formatDateTime, shortSha } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  healthy: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  unhealthy: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  endpoints: { display: 'flex', gap: theme.spacing(1) },
}));

/** The Spring Boot actuator endpoints every paved-road service exposes. */
const HEALTH_PATH = '/actuator/health';
const METRICS_PATH = '/actuator/prometheus';

function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function InstanceRow(props: { instance: DeploymentRuntimeInstance }) {
  const { instance } = props;
  const classes = useStyles();
  const health = instance.healthy ? 'healthy' : 'unhealthy';
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        <code>{instance.id}</code>
      </TableCell>
      <TableCell>
        <code title={instance.version}>{shortSha(instance.version)}</code>
      </TableCell>
      <TableCell>
        <Chip size="small" label={health} className={classes[health]} />
      </TableCell>
      <TableCell>{formatDateTime(instance.startedAt)}</TableCell>
      <TableCell>{instance.restarts}</TableCell>
      <TableCell>
        <span className={classes.endpoints}>
          <Link
            to={endpoint(instance.url, HEALTH_PATH)}
            aria-label={`Health of ${instance.id}`}
          >
            health
          </Link>
          <Link
            to={endpoint(instance.url, METRICS_PATH)}
            aria-label={`Metrics of ${instance.id}`}
          >
            metrics
          </Link>
        </span>
      </TableCell>
    </TableRow>
  );
}

/**
 * What runs for the service now: the stable URL that spreads requests over
 * the healthy instances, each instance with its version, health, start and
 * restarts and links to its actuator endpoints, and the provider's note
 * (e.g. fewer replicas run locally than the settings ask for). Reloads when
 * `refreshKey` changes.
 */
export function RuntimeCard(props: {
  entityRef: CompoundEntityRef;
  environment?: string;
  refreshKey?: number;
}) {
  const {
    entityRef,
    environment = DEFAULT_DEPLOYMENT_ENVIRONMENT,
    refreshKey,
  } = props;
  const { kind, namespace, name } = entityRef;
  const api = useApi(deploymentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getRuntime({ kind, namespace, name }, { environment }),
    [api, kind, namespace, name, environment, refreshKey],
  );

  let content;
  if (loading && !value) {
    content = <Progress />;
  } else if (error && !value) {
    content = (
      <Alert severity="warning">
        The runtime could not be read: {errorMessage(error)}
      </Alert>
    );
  } else if (!value || value.instances.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        Nothing runs in {environment}. Deploy the service to start it.
      </Typography>
    );
  } else {
    content = (
      <Box display="flex" flexDirection="column" gridGap={12}>
        {value.url && (
          <Typography variant="body2">
            Stable URL:{' '}
            <Link to={value.url} data-testid="stable-url">
              {value.url}
            </Link>
          </Typography>
        )}
        {value.note && <Alert severity="info">{value.note}</Alert>}
        <Table size="small" aria-label="Instances">
          <TableHead>
            <TableRow>
              <TableCell>Instance</TableCell>
              <TableCell>Version</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Started</TableCell>
              <TableCell>Restarts</TableCell>
              <TableCell>Endpoints</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.instances.map(instance => (
              <InstanceRow key={instance.id} instance={instance} />
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }

  return (
    <InfoCard
      title="Runtime"
      subheader={
        value?.provider
          ? `${environment}, run by the ${value.provider} provider`
          : environment
      }
      action={
        <IconButton aria-label="Refresh runtime" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      }
    >
      {content}
    </InfoCard>
  );
}
