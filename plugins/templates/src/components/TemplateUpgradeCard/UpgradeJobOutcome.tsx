import { Link, Progress } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { UpgradeJob } from '@paved-road/plugin-templates-common';
import { cloneCommand } from './jobText';
import { UpgradeDiffView } from './UpgradeDiffView';

/** Changed files listed in full; the rest are counted. */
const MAX_FILES = 20;

/**
 * Where an upgrade job is: queued or running, or how it ended: the pull
 * request, or the branch with its clone command and compare view (and who
 * merged it from the portal), the conflicts as chips and the files it
 * changed.
 */
export function UpgradeJobOutcome({ job }: { job: UpgradeJob }) {
  if (job.status === 'queued' || job.status === 'running') {
    return (
      <Box>
        <Typography variant="body2">
          Upgrade to {job.toVersion} {job.status}…
        </Typography>
        <Progress />
      </Box>
    );
  }
  if (job.status === 'failed') {
    return (
      <Alert severity="error">
        The upgrade to {job.toVersion} failed: {job.error ?? 'no reason given'}
      </Alert>
    );
  }
  const result = job.result;
  if (job.outcome === 'no-change' || !result) {
    return (
      <Alert severity="info">
        Nothing to merge: version {job.toVersion} renders the same files for
        this project as {job.fromVersion}.
      </Alert>
    );
  }
  const clone = cloneCommand(job);
  const changed = result.changedFiles;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      {result.conflicts.length > 0 ? (
        <Alert severity="warning">
          Upgraded to {job.toVersion} with conflicts in{' '}
          {result.conflicts.length} file
          {result.conflicts.length === 1 ? '' : 's'}: resolve them on the branch{' '}
          {result.branch} before merging.
        </Alert>
      ) : (
        <Alert severity="success">
          Upgraded to {job.toVersion}: a clean merge on the branch{' '}
          {result.branch}.
        </Alert>
      )}
      {job.mergedAt && (
        <Typography variant="body2">
          Merged into the default branch by{' '}
          {job.mergedBy ? (
            <EntityRefLink entityRef={job.mergedBy} defaultKind="user" />
          ) : (
            'someone'
          )}{' '}
          at {new Date(job.mergedAt).toLocaleString()}.
        </Typography>
      )}
      {result.conflicts.length > 0 && (
        <Box
          display="flex"
          flexWrap="wrap"
          style={{ gap: 4 }}
          aria-label="Conflicts"
          role="list"
        >
          {result.conflicts.map(conflict => (
            <Chip
              key={conflict.path}
              role="listitem"
              size="small"
              color="secondary"
              label={`${conflict.path} (${conflict.type})`}
              title={conflict.message}
            />
          ))}
        </Box>
      )}
      {result.pullRequestUrl ? (
        <Typography variant="body2">
          <Link to={result.pullRequestUrl}>Open the pull request</Link>
        </Typography>
      ) : (
        <>
          {clone && (
            <Typography variant="body2">
              Try it: <code>{clone}</code>
            </Typography>
          )}
          {result.compareUrl ? (
            <Typography variant="body2">
              <Link to={result.compareUrl}>
                Compare with the default branch
              </Link>
            </Typography>
          ) : (
            <UpgradeDiffView jobId={job.id} />
          )}
        </>
      )}
      {changed.length > 0 && (
        <Box>
          <Typography variant="body2">
            {changed.length} changed file{changed.length === 1 ? '' : 's'}:
          </Typography>
          <Box component="ul" aria-label="Changed files" m={0}>
            {changed.slice(0, MAX_FILES).map(file => (
              <Typography component="li" variant="body2" key={file.path}>
                <code>{file.status}</code> {file.path}
              </Typography>
            ))}
            {changed.length > MAX_FILES && (
              <Typography component="li" variant="body2">
                … and {changed.length - MAX_FILES} more
              </Typography>
            )}
          </Box>
        </Box>
      )}
    </Box>
  );
}
