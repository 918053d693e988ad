import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
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

/**
 * The status of a deployment as a coloured chip; why it failed or was rolled
 * back, when known, as its tooltip.
 */
export function DeploymentStatusChip(props: {
  status: DeploymentStatus;
  reason?: string | null;
}) {
  const { status, reason } = props;
  const classes = useStyles();
  const chip = (
    <Chip
      size="small"
      label={status}
      className={classes[status]}
      data-status={status}
    />
  );
  // Closed, the tooltip leaves its text as the chip's title.
  return reason ? <Tooltip title={reason}>{chip}</Tooltip> : chip;
}
