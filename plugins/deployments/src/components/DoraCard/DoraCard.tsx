import type { CompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  type DoraMetrics,
} from '@paved-road/plugin-deployments-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';
import { formatSeconds } from '../../lib/format';

const DEFAULT_DAYS = 30;
const NO_DATA = 'No data';

interface Figure {
  label: string;
  value: string;
  explanation: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function perWeek(value: number): string {
  if (value > 0 && value < 0.1) {
    return 'less than 0.1';
  }
  return `${Number(value.toFixed(1))}`;
}

/** The four figures in words a developer reads without the DORA report. */
export function doraFigures(metrics: DoraMetrics): Figure[] {
  const {
    days,
    deploymentFrequency,
    leadTimeForChanges,
    changeFailureRate,
    timeToRestore,
  } = metrics;
  const period = `in the last ${days} days`;

  let restore: Pick<Figure, 'value' | 'explanation'>;
  if (timeToRestore.medianSeconds !== null) {
    restore = {
      value: formatSeconds(timeToRestore.medianSeconds),
      explanation: `From a failed deployment to the next successful one (median; ${
        timeToRestore.restored
      } of ${plural(timeToRestore.incidents, 'failure')} restored)`,
    };
  } else if (timeToRestore.incidents > 0) {
    restore = {
      value: 'Not restored yet',
      explanation: `${plural(
        timeToRestore.incidents,
        'failure',
      )} ${period} with no successful deployment after it yet`,
    };
  } else {
    restore = {
      value: NO_DATA,
      explanation: `No failed deployment to recover from ${period}`,
    };
  }

  return [
    {
      label: 'Deployment frequency',
      value:
        deploymentFrequency.successful > 0
          ? `${perWeek(deploymentFrequency.perWeek)} per week`
          : NO_DATA,
      explanation:
        deploymentFrequency.successful > 0
          ? `How often a change reaches ${metrics.environment}: ${plural(
              deploymentFrequency.successful,
              'successful deployment',
            )} ${period}`
          : `No successful deployment ${period}`,
    },
    {
      label: 'Lead time for changes',
      value:
        leadTimeForChanges.medianSeconds !== null
          ? formatSeconds(leadTimeForChanges.medianSeconds)
          : NO_DATA,
      explanation:
        leadTimeForChanges.medianSeconds !== null
          ? `From commit to running in ${
              metrics.environment
            } (median over ${plural(
              leadTimeForChanges.deployments,
              'deployment',
            )})`
          : `No successful deployment ${period} to measure from its commit`,
    },
    {
      label: 'Change failure rate',
      value:
        changeFailureRate.rate !== null
          ? `${Math.round(changeFailureRate.rate * 100)}%`
          : NO_DATA,
      explanation:
        changeFailureRate.rate !== null
          ? `${changeFailureRate.failed} of ${plural(
              changeFailureRate.total,
              'deployment',
            )} failed or were rolled back`
          : `No finished deployment ${period}`,
    },
    { label: 'Time to restore', ...restore },
  ];
}

/**
 * Deployment frequency, lead time for changes, change failure rate and time
 * to restore of one environment over the last `days` days, from the
 * deployments the portal ran (sample history never counts). Reloads when
 * `refreshKey` changes.
 */
export function DoraCard(props: {
  entityRef: CompoundEntityRef;
  environment?: string;
  days?: number;
  refreshKey?: number;
}) {
  const {
    entityRef,
    environment = DEFAULT_DEPLOYMENT_ENVIRONMENT,
    days = DEFAULT_DAYS,
    refreshKey,
  } = props;
  const { kind, namespace, name } = entityRef;
  const api = useApi(deploymentsApiRef);
  const { value, loading, error } = useAsyncRetry(
    () => api.getDoraMetrics({ kind, namespace, name }, { days, environment }),
    [api, kind, namespace, name, days, environment, refreshKey],
  );

  let content;
  if (loading && !value) {
    content = <Progress />;
  } else if (error && !value) {
    content = (
      <Alert severity="warning">
        The figures could not be read: {errorMessage(error)}
      </Alert>
    );
  } else if (
    !value ||
    (value.changeFailureRate.total === 0 &&
      value.deploymentFrequency.successful === 0)
  ) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No deployments to {environment} in the last {days} days: the figures
        appear once the portal has deployed this service.
      </Typography>
    );
  } else {
    content = (
      <Grid container spacing={2}>
        {doraFigures(value).map(figure => (
          <Grid
            item
            xs={6}
            key={figure.label}
            role="group"
            aria-label={figure.label}
          >
            <Typography variant="overline" component="div">
              {figure.label}
            </Typography>
            <Typography variant="h5" component="div">
              {figure.value}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {figure.explanation}
            </Typography>
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <InfoCard
      title="Delivery performance"
      subheader={`DORA figures of ${environment}, last ${days} days`}
    >
      {content}
    </InfoCard>
  );
}
