import {
  InfoCard,
  Link,
  Progress,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  FailingStep,
  TemplateCheck,
  TemplateReport,
  TemplateVersionHealth,
} from '@paved-road/plugin-templates-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { templatesApiRef } from '../../api/TemplatesApi';
import { errorMessage } from '../../lib/errors';
import {
  formatDeployments,
  formatDuration,
  formatRate,
} from '../../lib/format';
import { ReportProblemButton } from '../ReportProblemDialog';
import { VerdictBadge } from '../VerdictBadge';

const versionColumns: TableColumn<TemplateVersionHealth>[] = [
  { title: 'Version', field: 'version' },
  { title: 'Tasks', render: row => row.figures.taskCount },
  { title: 'Failed', render: row => row.figures.failed },
  { title: 'Success', render: row => formatRate(row.figures.successRate) },
  { title: 'p50', render: row => formatDuration(row.figures.p50DurationMs) },
  { title: 'p95', render: row => formatDuration(row.figures.p95DurationMs) },
  { title: 'Projects', render: row => row.figures.projectCount },
  { title: 'Deployed', render: row => formatDeployments(row.figures) },
  {
    title: 'Failing steps',
    render: row =>
      row.failingSteps.map(s => `${s.stepId} (${s.count})`).join(', ') || '—',
  },
];

const stepColumns: TableColumn<FailingStep>[] = [
  { title: 'Step', field: 'stepId' },
  { title: 'Failed tasks', field: 'count' },
];

const reportColumns: TableColumn<TemplateReport>[] = [
  { title: 'When', render: row => new Date(row.createdAt).toLocaleString() },
  { title: 'Version', field: 'version' },
  { title: 'By', field: 'reportedBy' },
  { title: 'Project', render: row => row.entityRef ?? '—' },
  { title: 'Problem', field: 'message' },
];

const checkColumns: TableColumn<TemplateCheck>[] = [
  { title: 'When', render: row => new Date(row.createdAt).toLocaleString() },
  { title: 'Version', field: 'version' },
  { title: 'Check', field: 'name' },
  { title: 'Status', field: 'status' },
  {
    title: 'Run',
    render: row => (row.url ? <Link to={row.url}>{row.url}</Link> : '—'),
  },
  { title: 'By', field: 'reportedBy' },
];

/** One template: its versions, failing steps, reports and checks. */
export function TemplateHealthDetailsPanel(props: {
  /** `<namespace>/<name>` */
  templateRef: string;
  onReported?: () => void;
}) {
  const api = useApi(templatesApiRef);
  const [namespace, name] = props.templateRef.split('/');
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getTemplateHealth({ namespace, name }),
    [api, namespace, name],
  );

  // A reload after a report keeps the panel (and the dialog's thanks) up.
  if (loading && !value) {
    return <Progress />;
  }
  if (error || !value) {
    return (
      <Alert severity="error">
        Could not load the health of {props.templateRef}: {errorMessage(error)}
      </Alert>
    );
  }
  return (
    <Box mt={3}>
      <InfoCard
        title={
          <>
            {value.title ?? value.templateRef}{' '}
            <VerdictBadge verdict={value.verdict} reasons={value.reasons} />
          </>
        }
        subheader={`${value.templateRef} · latest version ${
          value.latestVersion ?? 'unknown'
        }`}
        action={
          <ReportProblemButton
            templateRef={value.templateRef}
            version={value.latestVersion}
            onReported={() => {
              retry();
              props.onReported?.();
            }}
          />
        }
      >
        {value.reasons.length > 0 && (
          <Alert severity={value.verdict === 'failing' ? 'error' : 'warning'}>
            {value.reasons.join('; ')}
          </Alert>
        )}
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <Table<TemplateVersionHealth>
              title="Versions"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={versionColumns}
              data={value.versions}
            />
          </Grid>
          <Grid item xs={12} md={4}>
            <Table<FailingStep>
              title="Steps that fail most"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={stepColumns}
              data={value.failingSteps}
              emptyContent={<Typography>No failed steps.</Typography>}
            />
          </Grid>
          <Grid item xs={12} md={8}>
            <Table<TemplateCheck>
              title="Self-tests"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={checkColumns}
              data={value.checks}
              emptyContent={<Typography>No self-test results.</Typography>}
            />
          </Grid>
          <Grid item xs={12}>
            <Table<TemplateReport>
              title="Reports"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={reportColumns}
              data={value.reports}
              emptyContent={<Typography>No reported problems.</Typography>}
            />
          </Grid>
        </Grid>
      </InfoCard>
    </Box>
  );
}
