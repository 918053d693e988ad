import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { ProjectSettingsError } from '@paved-road/plugin-deployments-common';
import { formatDateTime } from '../../lib/format';

/**
 * The repository's settings file is invalid: the portal keeps the last valid
 * version, and says so rather than ignoring the file.
 */
export function SettingsErrorBanner(props: { error: ProjectSettingsError }) {
  const { message, commitSha, detectedAt } = props.error;
  return (
    <Alert severity="error">
      <AlertTitle>The settings file in the repository is invalid</AlertTitle>
      {message}
      {commitSha && ` (commit ${commitSha.slice(0, 7)})`}. Seen since{' '}
      {formatDateTime(detectedAt)}; the settings shown are the last valid
      version until the file is fixed.
    </Alert>
  );
}
