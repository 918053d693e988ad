import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import { formatMoney, formatTimestamp } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  figure: {
    padding: theme.spacing(2),
    height: '100%',
  },
}));

function Figure(props: { label: string; value: string }) {
  const classes = useStyles();
  return (
    <Paper className={classes.figure} variant="outlined">
      <Typography variant="overline" color="textSecondary" component="h3">
        {props.label}
      </Typography>
      <Typography variant="h5" component="p">
        {props.value}
      </Typography>
    </Paper>
  );
}

/** The headline figures of a cost report. */
export function CostSummary({ report }: { report: EntityCostReport }) {
  const days = report.daily.length;
  const average = days > 0 ? report.total / days : 0;
  const figures = [
    {
      label: 'Month to date',
      value: formatMoney(report.monthToDate, report.currency),
    },
    {
      label: `Last ${days} days`,
      value: formatMoney(report.total, report.currency),
    },
    { label: 'Average per day', value: formatMoney(average, report.currency) },
    { label: 'Currency', value: report.currency },
    {
      label: 'Last ingested',
      value: report.lastIngestedAt
        ? formatTimestamp(report.lastIngestedAt)
        : 'Never',
    },
  ];
  return (
    <Grid container spacing={2}>
      {figures.map(figure => (
        <Grid item xs={12} sm={6} md key={figure.label}>
          <Figure label={figure.label} value={figure.value} />
        </Grid>
      ))}
    </Grid>
  );
}
