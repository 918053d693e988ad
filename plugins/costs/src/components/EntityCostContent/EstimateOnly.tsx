import { InfoCard } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  CostEstimate,
  EntityCostReport,
} from '@paved-road/plugin-costs-common';
import { formatMoney } from '../../lib/format';
import { EstimateBreakdown } from '../EstimateBreakdown';
import { CostPlan } from './CostPlan';

/**
 * A service without a bill yet: what its deployment settings should cost,
 * labelled as an estimate so nobody reads it as actual cost.
 */
export function EstimateOnly(props: {
  report: EntityCostReport & { estimate: CostEstimate };
  explorerLink?: string;
}) {
  const { report, explorerLink } = props;
  const { estimate } = report;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Alert severity="info">
          No billing rows are allocated to {report.entityRef} yet. Until its
          first bill, this tab shows the estimate of its deployment settings.
        </Alert>
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="Estimated cost"
          subheader={`${estimate.month}, ${estimate.hoursInMonth} hours, from the current deployment settings`}
        >
          <Chip size="small" label="Estimate" color="secondary" />
          <Typography variant="h4" component="p" gutterBottom>
            {formatMoney(estimate.monthlyTotal, estimate.currency)} per month
          </Typography>
          <EstimateBreakdown estimate={estimate} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        <CostPlan report={report} explorerLink={explorerLink} hideEstimate />
      </Grid>
    </Grid>
  );
}
