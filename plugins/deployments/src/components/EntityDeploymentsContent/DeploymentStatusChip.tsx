import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { DeploymentStatus } from '@paved-road/plugin-deployments-common';

const useStyles = makeStyles(theme => ({
  pending: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.common.white,
  },
  'in-progress': {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  succeeded: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  failed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  'rolled-back': {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
}));

/** The status of a deployment as a coloured chip. */
export function DeploymentStatusChip(props: { status: DeploymentStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.status}
      className={classes[props.status]}
      data-status={props.status}
    />
  );
}
