import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { AuditOutcome } from '@paved-road/plugin-paved-road-common';
import { OUTCOME_LABELS } from './labels';

const useStyles = makeStyles(theme => ({
  succeeded: {
    color: theme.palette.success.contrastText,
    backgroundColor: theme.palette.success.main,
  },
  failed: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
  },
  denied: {
    color: theme.palette.warning.contrastText,
    backgroundColor: theme.palette.warning.main,
  },
}));

/** How an audited attempt ended, coloured so denials stand out. */
export const OutcomeChip = ({ outcome }: { outcome: AuditOutcome }) => {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={OUTCOME_LABELS[outcome] ?? outcome}
      className={classes[outcome]}
      data-outcome={outcome}
    />
  );
};
