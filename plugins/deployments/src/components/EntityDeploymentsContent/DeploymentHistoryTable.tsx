import { ActorLink } from '../common/ActorLink';
import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { Deployment } from '@paved-road/plugin-deployments-common';
import { DeploymentStatusChip } from './DeploymentStatusChip';
import { formatDateTime, formatDuration } from '../../lib/format';

const PAGE_SIZE = 20;

const columns: TableColumn<Deployment>[] = [
  { title: 'Version', field: 'version' },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Status',
    field: 'status',
    render: d => <DeploymentStatusChip status={d.status} />,
  },
  {
    title: 'Triggered by',
    field: 'triggeredBy',
    render: d => <ActorLink actor={d.triggeredBy} />,
  },
  {
    title: 'Started',
    field: 'startedAt',
    render: d => formatDateTime(d.startedAt),
  },
  {
    title: 'Duration',
    sorting: false,
    render: d => formatDuration(d.startedAt, d.finishedAt),
  },
];

/** Past deployments of an entity, newest first as the backend returns them. */
export function DeploymentHistoryTable(props: { deployments: Deployment[] }) {
  const { deployments } = props;
  return (
    <Table<Deployment>
      title="Deployment history"
      columns={columns}
      data={deployments}
      options={{
        search: false,
        padding: 'dense',
        paging: deployments.length > PAGE_SIZE,
        pageSize: PAGE_SIZE,
      }}
      emptyContent={
        <Typography variant="body2" color="textSecondary" align="center">
          No deployments yet.
        </Typography>
      }
    />
  );
}
