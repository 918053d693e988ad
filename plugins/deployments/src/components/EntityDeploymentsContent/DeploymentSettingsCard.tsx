import { ActorLink } from '../common/ActorLink';
import { InfoCard } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { DeploymentSettingsVersion } from '@paved-road/plugin-deployments-common';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../lib/format';
import { CommitLink } from '../common/CommitLink';

function rolloutLabel(
  rollout: DeploymentSettingsVersion['settings']['rollout'],
) {
  return rollout.strategy === 'canary'
    ? `canary (${rollout.canaryPercent}% first)`
    : rollout.strategy;
}

/**
 * The current deployment settings of an entity, who last changed them, why
 * and in which commit.
 */
export function DeploymentSettingsCard(props: {
  settings: DeploymentSettingsVersion | undefined;
  /** Shown in the card's header, e.g. the Edit button. */
  action?: ReactNode;
}) {
  const { settings: current, action } = props;

  if (!current) {
    return (
      <InfoCard title="Deployment settings">
        <Typography variant="body2" color="textSecondary">
          No deployment settings have been saved for this entity yet.
        </Typography>
      </InfoCard>
    );
  }

  const { settings } = current;
  const rows: Array<[string, ReactNode]> = [
    ['Cluster', settings.cluster],
    ['Replicas', settings.replicas],
    ['CPU', `${settings.cpuMillicores} millicores`],
    ['Memory', `${settings.memoryMiB} MiB`],
    ['Regions', settings.regions.join(', ')],
    ['Rollout strategy', rolloutLabel(settings.rollout)],
    ['Health check', settings.rollout.healthCheckPath],
    ['Settings version', current.version],
    ['Changed by', <ActorLink actor={current.createdBy} />],
    ['Changed at', formatDateTime(current.createdAt)],
    ['Why', current.message ?? '—'],
    [
      'Commit',
      <CommitLink
        commitSha={current.commitSha}
        commitUrl={current.commitUrl}
      />,
    ],
  ];

  return (
    <InfoCard title="Deployment settings" action={action}>
      <Table size="small" aria-label="Deployment settings">
        <TableBody>
          {rows.map(([label, value]) => (
            <TableRow key={label}>
              {/* Labels never break mid-word in the narrow column. */}
              <TableCell
                component="th"
                scope="row"
                style={{ whiteSpace: 'nowrap' }}
              >
                {label}
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
