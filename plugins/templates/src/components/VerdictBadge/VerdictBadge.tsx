import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import type { TemplateVerdict } from '@paved-road/plugin-templates-common';

const useStyles = makeStyles(theme => ({
  healthy: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  degraded: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  failing: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/**
 * A template's verdict as a coloured chip; why it is not healthy as its
 * tooltip.
 */
export function VerdictBadge(props: {
  verdict: TemplateVerdict;
  reasons?: string[];
}) {
  const { verdict, reasons = [] } = props;
  const classes = useStyles();
  const chip = (
    <Chip
      size="small"
      label={verdict}
      className={classes[verdict]}
      data-verdict={verdict}
      aria-label={`Template health: ${verdict}`}
    />
  );
  return reasons.length > 0 ? (
    <Tooltip title={reasons.join('; ')}>{chip}</Tooltip>
  ) : (
    chip
  );
}
