import {
  Content,
  Header,
  Page,
  Progress,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { TemplateHealthSummary } from '@paved-road/plugin-templates-common';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { templatesApiRef } from '../../api/TemplatesApi';
import { errorMessage } from '../../lib/errors';
import {
  formatDeployments,
  formatDuration,
  formatRate,
  templateRefParts,
} from '../../lib/format';
import { VerdictBadge } from '../VerdictBadge';
import { TemplateHealthDetailsPanel } from './TemplateHealthDetailsPanel';

const columns: TableColumn<TemplateHealthSummary>[] = [
  {
    title: 'Verdict',
    field: 'verdict',
    render: row => <VerdictBadge verdict={row.verdict} reasons={row.reasons} />,
  },
  {
    title: 'Template',
    field: 'templateRef',
    render: row => (
      <>
        <Typography variant="body2">{row.title ?? row.templateRef}</Typography>
        <Typography variant="caption" color="textSecondary">
          {row.templateRef}
        </Typography>
      </>
    ),
  },
  { title: 'Latest version', render: row => row.latestVersion ?? '—' },
  { title: 'Tasks', render: row => row.figures.taskCount },
  { title: 'Success', render: row => formatRate(row.figures.successRate) },
  { title: 'p50', render: row => formatDuration(row.figures.p50DurationMs) },
  { title: 'p95', render: row => formatDuration(row.figures.p95DurationMs) },
  { title: 'Projects', render: row => row.figures.projectCount },
  { title: 'Deployed', render: row => formatDeployments(row.figures) },
  { title: 'Reports', render: row => row.recentReports },
  {
    title: 'Checks',
    render: row =>
      row.latestChecks.length === 0
        ? '—'
        : row.latestChecks.map(c => `${c.name}: ${c.status}`).join(', '),
  },
  { title: 'Why', render: row => row.reasons.join('; ') },
];

/**
 * Every template's verdict with its figures; selecting one shows its
 * versions, failing steps, reports and self-test results below. The
 * selection lives in `?template=<namespace>/<name>`, so it can be linked.
 */
export function TemplateHealthPage() {
  const api = useApi(templatesApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.get('template') ?? undefined;
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listTemplateHealth(),
    [api],
  );

  const select = (row?: TemplateHealthSummary) => {
    if (!row) {
      return;
    }
    const { namespace, name } = templateRefParts(row.templateRef);
    setSearchParams({ template: `${namespace}/${name}` });
  };

  return (
    <Page themeId="tool">
      <Header
        title="Template health"
        subtitle="How each template's tasks, projects, reports and self-tests are doing"
      />
      <Content>
        {loading && <Progress />}
        {error && (
          <Alert severity="error">
            Could not load template health: {errorMessage(error)}
          </Alert>
        )}
        {value && (
          <Table<TemplateHealthSummary>
            title="Templates"
            options={{ paging: false, search: true, padding: 'dense' }}
            columns={columns}
            data={value.items}
            onRowClick={(_event, row) => select(row)}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                No templates yet: the collector has not run, or the catalog
                holds no templates.
              </Typography>
            }
          />
        )}
        {value?.collectedAt && (
          <Typography variant="caption" color="textSecondary">
            Task history collected{' '}
            {new Date(value.collectedAt).toLocaleString()}
          </Typography>
        )}
        {selected && (
          <TemplateHealthDetailsPanel
            key={selected}
            templateRef={selected}
            onReported={retry}
          />
        )}
      </Content>
    </Page>
  );
}
