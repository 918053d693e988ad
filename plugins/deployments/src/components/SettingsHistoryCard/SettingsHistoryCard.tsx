import { ActorLink } from '../common/ActorLink';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import type { DeploymentSettingsVersion } from '@paved-road/plugin-deployments-common';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { formatDateTime } from '../../lib/format';
import { diffSettings } from '../../lib/settingsDiff';
import { CommitLink } from '../common/CommitLink';

const SOURCE_LABELS: Record<DeploymentSettingsVersion['source'], string> = {
  template: 'Template',
  portal: 'Portal',
  repository: 'Repository',
  sample: 'Sample data',
};

/** What changed from `previous` to `version`, one setting per line. */
function Changes(props: {
  version: DeploymentSettingsVersion;
  previous?: DeploymentSettingsVersion;
}) {
  const { version, previous } = props;
  if (!previous) {
    return <>Initial settings</>;
  }
  const changes = diffSettings(previous.settings, version.settings);
  if (changes.length === 0) {
    return <>No setting changed</>;
  }
  return (
    <ul style={{ margin: 0, paddingLeft: '1em' }}>
      {changes.map(change => (
        <li key={change.path}>
          {change.label}: <del>{change.before}</del> → <ins>{change.after}</ins>
        </li>
      ))}
    </ul>
  );
}

/**
 * Every settings version of an entity, newest first, each with who made it,
 * why, its commit and what it changed from the one before.
 */
export function SettingsHistoryCard(props: {
  entityRef: CompoundEntityRef;
  /** The current version; a new one reloads the history. */
  currentVersion: number;
}) {
  const { entityRef, currentVersion } = props;
  const api = useApi(deploymentsApiRef);
  const { kind, namespace, name } = entityRef;
  const { value, loading, error } = useAsync(
    () => api.listSettingsVersions({ kind, namespace, name }),
    [api, kind, namespace, name, currentVersion],
  );

  return (
    <InfoCard title="Settings history" noPadding>
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && (
        <Table size="small" aria-label="Settings history">
          <TableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Changed by</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Why</TableCell>
              <TableCell>Commit</TableCell>
              <TableCell>Changes</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {value.map((version, index) => (
              <TableRow key={version.version} data-version={version.version}>
                <TableCell>{version.version}</TableCell>
                <TableCell>
                  <ActorLink actor={version.createdBy} />
                </TableCell>
                <TableCell>{formatDateTime(version.createdAt)}</TableCell>
                <TableCell>
                  {SOURCE_LABELS[version.source] ?? version.source}
                </TableCell>
                <TableCell>{version.message ?? '—'}</TableCell>
                <TableCell>
                  <CommitLink
                    commitSha={version.commitSha}
                    commitUrl={version.commitUrl}
                  />
                </TableCell>
                <TableCell>
                  <Changes version={version} previous={value[index + 1]} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
