import { Link } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { ReactNode } from 'react';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import { formatMoney } from '../../lib/format';
import { BudgetStatusChip } from '../BudgetStatusChip';

const useStyles = makeStyles(theme => ({
  figure: { padding: theme.spacing(2), height: '100%' },
}));

function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
}) {
  const classes = useStyles();
  return (
    <Paper className={classes.figure} variant="outlined">
      <Typography variant="overline" color="textSecondary" component="h3">
        {props.label}
      </Typography>
      <Typography variant="h5" component="p">
        {props.value}
      </Typography>
      {props.detail && (
        <Typography variant="body2" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </Paper>
  );
}

/**
 * Estimate, forecast and budget of an entity side by side with what it
 * cost: what it should cost by its settings, what this month is heading
 * for, and where its cost center stands.
 */
export function CostPlan(props: {
  report: EntityCostReport;
  explorerLink?: string;
  /** When the estimate is shown on its own, in full. */
  hideEstimate?: boolean;
}) {
  const { report, explorerLink, hideEstimate } = props;
  const { estimate, budget, forecast } = report;
  const figures: JSX.Element[] = [];

  if (estimate && !hideEstimate) {
    figures.push(
      <Figure
        key="estimate"
        label="Estimate per month"
        value={formatMoney(estimate.monthlyTotal, estimate.currency)}
        detail="From the current deployment settings"
      />,
    );
  }
  if (forecast > 0) {
    const versus =
      estimate && estimate.currency === report.currency
        ? `${
            forecast > estimate.monthlyTotal ? 'Above' : 'Within'
          } the estimate`
        : `${formatMoney(report.monthToDate, report.currency)} so far`;
    figures.push(
      <Figure
        key="forecast"
        label="Forecast for the month"
        value={formatMoney(forecast, report.currency)}
        detail={versus}
      />,
    );
  }
  if (budget) {
    figures.push(
      <Figure
        key="budget"
        label={`Budget of ${budget.key}`}
        value={<BudgetStatusChip status={budget.status} />}
        detail={
          budget.budget
            ? `${formatMoney(
                budget.forecast,
                budget.currency,
              )} forecast of ${formatMoney(
                budget.budget.amount,
                budget.budget.currency,
              )}`
            : `No budget set; ${formatMoney(
                budget.forecast,
                budget.currency,
              )} forecast`
        }
      />,
    );
  }
  if (figures.length === 0 && !explorerLink) {
    return null;
  }
  return (
    <Grid container spacing={2} alignItems="stretch">
      {figures.map(figure => (
        <Grid item xs={12} sm={6} md key={figure.key}>
          {figure}
        </Grid>
      ))}
      {explorerLink && (
        <Grid item xs={12}>
          <Link to={explorerLink}>Open in the Cost explorer</Link>
        </Grid>
      )}
    </Grid>
  );
}
