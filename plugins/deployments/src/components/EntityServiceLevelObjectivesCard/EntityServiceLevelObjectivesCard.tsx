import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  formatSloProblem,
  type ServiceLevelIndicator,
  type ServiceLevelIndicatorQuery,
  type ServiceLevelObjective,
  type ServiceLevelObjectivesProblem,
} from '@paved-road/plugin-deployments-common';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { budgetText, targetText, windowText } from './sloText';

const TITLE = 'Service level objectives';

function Query(props: { label: string; query: ServiceLevelIndicatorQuery }) {
  const { label, query } = props;
  return (
    <Box mt={0.5}>
      <Typography variant="caption" color="textSecondary">
        {label} ({query.sourceType})
      </Typography>
      <Box
        component="code"
        display="block"
        fontFamily="monospace"
        fontSize="0.75rem"
        style={{ overflowWrap: 'anywhere' }}
      >
        {query.query ?? '(no query: the metric source defines it)'}
      </Box>
    </Box>
  );
}

function Indicator(props: { indicator: ServiceLevelIndicator }) {
  const { indicator } = props;
  const name = indicator.displayName ?? indicator.name;
  if (indicator.type === 'reference') {
    return (
      <Typography variant="body2" color="textSecondary">
        Indicator: the SLI {name} (defined in its own document)
      </Typography>
    );
  }
  const queries: Array<[string, ServiceLevelIndicatorQuery | null]> = [
    ['good', indicator.good],
    ['bad', indicator.bad],
    ['total', indicator.total],
    ['threshold', indicator.threshold],
  ];
  return (
    <details>
      <summary>
        <Typography variant="body2" component="span">
          Indicator{name ? `: ${name}` : ''}
        </Typography>
      </summary>
      {queries.map(([label, query]) =>
        query ? <Query key={label} label={label} query={query} /> : null,
      )}
    </details>
  );
}

function Slo(props: { slo: ServiceLevelObjective }) {
  const { slo } = props;
  const title = slo.displayName ?? slo.name;
  return (
    <Box component="section" aria-label={title} mb={3}>
      <Typography variant="subtitle1">{title}</Typography>
      {slo.description && (
        <Typography variant="body2">{slo.description}</Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        Window: {windowText(slo.timeWindow)} ({slo.budgetingMethod})
      </Typography>
      <Table size="small" aria-label={`${title} objectives`}>
        <TableHead>
          <TableRow>
            <TableCell>Objective</TableCell>
            <TableCell>Target</TableCell>
            <TableCell>Error budget</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {slo.objectives.map((objective, i) => (
            <TableRow key={i}>
              <TableCell>{objective.displayName ?? '—'}</TableCell>
              <TableCell>{targetText(objective)}</TableCell>
              <TableCell>{budgetText(objective, slo.timeWindow)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Indicator indicator={slo.indicator} />
    </Box>
  );
}

function Problems(props: {
  file: string;
  problems: ServiceLevelObjectivesProblem[];
}) {
  return (
    <Box mb={2}>
      <Alert severity="warning">
        <AlertTitle>
          {props.file} has problems: the SLOs they are in are not shown
        </AlertTitle>
        <ul>
          {props.problems.map((problem, i) => (
            <li key={i}>{formatSloProblem(problem)}</li>
          ))}
        </ul>
      </Alert>
    </Box>
  );
}

/**
 * The service level objectives a project defines in its repository
 * (`deploy/slo.yaml`, OpenSLO): per SLO its objectives, window, error budget
 * (as a share and as time) and indicator queries, with the file's problems.
 *
 * @public
 */
export function EntityServiceLevelObjectivesCard() {
  const { entity } = useEntity();
  const api = useApi(deploymentsApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);

  const { value, loading, error } = useAsync(
    () => api.getServiceLevelObjectives({ kind, namespace, name }),
    [api, kind, namespace, name],
  );

  if (loading) {
    return (
      <InfoCard title={TITLE}>
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title={TITLE}>
        <ResponseErrorPanel error={error ?? new Error('No answer')} />
      </InfoCard>
    );
  }

  const { slos, problems, file, found } = value;
  return (
    <InfoCard title={TITLE}>
      {problems.length > 0 && <Problems file={file} problems={problems} />}
      {!found && (
        <Typography variant="body2" color="textSecondary">
          No service level objectives yet: add {file} (OpenSLO) — upgrading to
          template 2.0.0 adds one.
        </Typography>
      )}
      {found && slos.length === 0 && problems.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          {file} defines no SLO documents.
        </Typography>
      )}
      {slos.map(slo => (
        <Slo key={slo.name} slo={slo} />
      ))}
    </InfoCard>
  );
}
