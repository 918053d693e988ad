import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  FleetProject,
  UpgradeBatch,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { templateUpgradesApiRef } from '../../api/TemplateUpgradesApi';
import { errorMessage } from '../../lib/errors';
import {
  isFinished,
  jobSummary,
  POLL_INTERVAL_MS,
} from '../TemplateUpgradeCard/jobText';

function JobCell({ job }: { job?: UpgradeJob }) {
  if (!job) return <>—</>;
  const result = job.result;
  return (
    <>
      {job.toVersion}: {jobSummary(job)}
      {result?.pullRequestUrl && (
        <>
          {' · '}
          <Link to={result.pullRequestUrl}>pull request</Link>
        </>
      )}
      {result && !result.pullRequestUrl && job.outcome !== 'no-change' && (
        <>
          {' · '}
          <code>{result.branch}</code>
        </>
      )}
    </>
  );
}

/**
 * One template's fleet: how many projects are on each version, and a table
 * of its projects (version, available upgrade, last upgrade with its pull
 * request or branch) to pick projects from and upgrade them in one batch;
 * then each project's outcome as its upgrade finishes, and the projects
 * the batch skipped with the reason.
 */
export function FleetPanel({
  template,
}: {
  template: { namespace: string; name: string };
}) {
  const api = useApi(templateUpgradesApiRef);
  const fleet = useAsyncRetry(
    () => api.getTemplateFleet(template),
    [api, template.namespace, template.name],
  );
  const [selected, setSelected] = useState<string[]>([]);
  const [batch, setBatch] = useState<UpgradeBatch>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string>();

  const following = batch?.jobs.some(job => !isFinished(job)) ?? false;
  useInterval(
    () => {
      if (!batch) return;
      api
        .getBatch(batch.id)
        .then(setBatch, error =>
          setFailure(`Could not follow the batch: ${errorMessage(error)}`),
        );
    },
    following ? POLL_INTERVAL_MS : null,
  );

  if (fleet.loading) return <Progress />;
  if (fleet.error || !fleet.value) {
    return (
      <Alert severity="error">
        Could not load the fleet: {errorMessage(fleet.error ?? 'no answer')}
      </Alert>
    );
  }
  const { latestVersion, versions, projects } = fleet.value;
  const batchJobs = new Map(batch?.jobs.map(job => [job.entityRef, job]));
  const jobOf = (project: FleetProject) =>
    batchJobs.get(project.entityRef) ?? project.job;
  const toggle = (entityRef: string, on: boolean) =>
    setSelected(previous =>
      on ? [...previous, entityRef] : previous.filter(r => r !== entityRef),
    );

  const upgradeSelected = async () => {
    setSubmitting(true);
    setFailure(undefined);
    try {
      setBatch(
        await api.upgradeFleet(template, {
          toVersion: latestVersion!,
          entityRefs: selected,
        }),
      );
      setSelected([]);
    } catch (error) {
      setFailure(errorMessage(error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="body1">
          Latest version {latestVersion ?? '—'}; projects per version:
        </Typography>
        <Box
          display="flex"
          style={{ gap: 4 }}
          role="list"
          aria-label="Versions"
        >
          {versions.map(v => (
            <Chip
              key={v.version}
              role="listitem"
              size="small"
              color={v.version === latestVersion ? 'primary' : 'default'}
              label={`${v.version}: ${v.count}`}
            />
          ))}
        </Box>
      </Box>
      <Table size="small" aria-label="Projects">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Project</TableCell>
            <TableCell>Owner</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Available</TableCell>
            <TableCell>Last upgrade</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {projects.map(project => (
            <TableRow key={project.entityRef}>
              <TableCell padding="checkbox">
                <Checkbox
                  disabled={!project.available || !latestVersion}
                  checked={selected.includes(project.entityRef)}
                  onChange={event =>
                    toggle(project.entityRef, event.target.checked)
                  }
                  inputProps={{ 'aria-label': `Select ${project.entityRef}` }}
                />
              </TableCell>
              <TableCell>
                <EntityRefLink entityRef={project.entityRef} />
              </TableCell>
              <TableCell>
                {project.owner ? (
                  <EntityRefLink
                    entityRef={project.owner}
                    defaultKind="group"
                  />
                ) : (
                  '—'
                )}
              </TableCell>
              <TableCell>{project.version ?? 'unknown'}</TableCell>
              <TableCell>{project.available ? latestVersion : '—'}</TableCell>
              <TableCell>
                <JobCell job={jobOf(project)} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box>
        <Button
          variant="contained"
          color="primary"
          disabled={selected.length === 0 || submitting || following}
          onClick={upgradeSelected}
        >
          Upgrade selected ({selected.length})
        </Button>
      </Box>
      {failure && <Alert severity="error">{failure}</Alert>}
      {batch && (
        <Alert severity={following ? 'info' : 'success'}>
          {following
            ? `Upgrading ${batch.jobs.length} project${
                batch.jobs.length === 1 ? '' : 's'
              } to ${batch.toVersion}…`
            : `Batch finished: ${batch.jobs.length} upgraded to ${
                batch.toVersion
              }, ${
                batch.jobs.filter(j => j.status === 'failed').length
              } failed.`}
        </Alert>
      )}
      {batch && batch.skipped.length > 0 && (
        <Box>
          <Typography variant="subtitle2">Skipped</Typography>
          <Box component="ul" aria-label="Skipped" m={0}>
            {batch.skipped.map(skip => (
              <Typography component="li" variant="body2" key={skip.entityRef}>
                {skip.entityRef}: {skip.reason}
              </Typography>
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
}
