import CircularProgress from '@material-ui/core/CircularProgress';
import { makeStyles } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import type { DeploymentStage } from '@paved-road/plugin-deployments-common';
import { formatDuration } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  status: { display: 'inline-flex', alignItems: 'center', gap: 6 },
  succeeded: { color: theme.palette.success.main },
}));

function StageStatus(props: { status: DeploymentStage['status'] }) {
  const { status } = props;
  const classes = useStyles();
  const icon = {
    running: <CircularProgress size={14} aria-hidden />,
    succeeded: (
      <CheckCircleIcon fontSize="small" className={classes.succeeded} />
    ),
    failed: <ErrorIcon fontSize="small" color="error" />,
  }[status];
  return (
    <span className={classes.status}>
      {icon}
      {status}
    </span>
  );
}

/**
 * The stages of a deployment in the order they started, with how long each
 * took (so far, for a running one: `now` is the time of the last read).
 */
export function StageTable(props: { stages: DeploymentStage[]; now: string }) {
  const { stages, now } = props;
  if (stages.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No stage has started yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Deployment stages">
      <TableHead>
        <TableRow>
          <TableCell>Stage</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Duration</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {stages.map(stage => (
          // A resumed deployment runs a stage again under a new attempt.
          <TableRow key={`${stage.attempt}:${stage.name}:${stage.startedAt}`}>
            <TableCell component="th" scope="row">
              {stage.name}
              {stage.attempt > 1 && ` (attempt ${stage.attempt})`}
              {stage.error && (
                <Typography variant="body2" color="error">
                  {stage.error}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <StageStatus status={stage.status} />
            </TableCell>
            <TableCell>
              {formatDuration(stage.startedAt, stage.finishedAt ?? now)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
