import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { BudgetStatus } from '@paved-road/plugin-costs-common';
import { BUDGET_STATUS_LABELS } from '../../lib/budgets';

const useStyles = makeStyles(theme => ({
  'on-track': {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  'at-risk': {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  over: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  'no-budget': {},
}));

/** On track / at risk / over / no budget, coloured by severity. */
export function BudgetStatusChip({ status }: { status: BudgetStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={BUDGET_STATUS_LABELS[status]}
      className={classes[status]}
      variant={status === 'no-budget' ? 'outlined' : 'default'}
    />
  );
}
