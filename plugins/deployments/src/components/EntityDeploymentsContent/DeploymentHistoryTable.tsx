import { Table, TableColumn } from '@backstage/core-components';
import { useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import type { Deployment } from '@paved-road/plugin-deployments-common';
import type { ReactNode } from 'react';
import { formatDateTime, formatDuration } from '../../lib/format';
import { ActorLink } from '../common/ActorLink';
import { CommitLink } from '../common/CommitLink';
import { DeploymentStatusChip } from '../common/DeploymentStatusChip';

const PAGE_SIZE = 20;

function columns(
  commitUrlFor: (sha: string) => string | null,
): TableColumn<Deployment>[] {
  return [
    {
      title: 'Version',
      field: 'version',
      // A deployment the portal ran deployed a commit; sample rows name a
      // release instead.
      render: d =>
        d.commitSha ? (
          <CommitLink
            commitSha={d.commitSha}
            commitUrl={commitUrlFor(d.commitSha)}
          />
        ) : (
          d.version
        ),
    },
    { title: 'Environment', field: 'environment' },
    {
      title: 'Status',
      field: 'status',
      render: d => <DeploymentStatusChip status={d.status} reason={d.reason} />,
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
}

/**
 * Past deployments of an entity, newest first as the backend returns them.
 * Clicking a row selects it (its progress and log open); `action` sits in
 * the table's toolbar (the Rollback button).
 */
export function DeploymentHistoryTable(props: {
  /** The environment `deployments` went to, when they are of one. */
  environment?: string;
  deployments: Deployment[];
  commitUrlFor?: (sha: string) => string | null;
  selectedId?: string;
  onSelect?: (deployment: Deployment) => void;
  action?: ReactNode;
}) {
  const {
    environment,
    deployments,
    commitUrlFor = () => null,
    selectedId,
    onSelect,
    action,
  } = props;
  const theme = useTheme();
  return (
    <Table<Deployment>
      title="Deployment history"
      subtitle={environment && `Deployments to ${environment}`}
      columns={columns(commitUrlFor)}
      data={deployments}
      onRowClick={onSelect ? (_event, row) => row && onSelect(row) : undefined}
      options={{
        search: false,
        padding: 'dense',
        paging: deployments.length > PAGE_SIZE,
        pageSize: PAGE_SIZE,
        rowStyle: row => ({
          cursor: onSelect ? 'pointer' : undefined,
          backgroundColor:
            row.id === selectedId ? theme.palette.action.selected : undefined,
        }),
      }}
      // The toolbar's one free action is `action`, rendered as it is.
      actions={
        action
          ? [
              {
                icon: () => <>{action}</>,
                isFreeAction: true,
                onClick: () => {},
              },
            ]
          : undefined
      }
      components={action ? { Action: () => <>{action}</> } : undefined}
      emptyContent={
        <Typography variant="body2" color="textSecondary" align="center">
          No deployments yet.
        </Typography>
      }
    />
  );
}
