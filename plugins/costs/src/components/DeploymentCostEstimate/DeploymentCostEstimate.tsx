import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useCostEstimate } from '../../hooks/useCostEstimate';
import { backendMessage, errorStatus } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import { EstimateBreakdown } from '../EstimateBreakdown';
import { DEFAULT_SETTINGS_FIELD, readSettings } from './readSettings';
import type { DeploymentCostEstimateUiOptions } from './schema';

const useStyles = makeStyles(theme => ({
  root: { padding: theme.spacing(2), marginTop: theme.spacing(2) },
}));

function problem(error: Error): string {
  if (errorStatus(error) === 404) {
    return 'Cost estimates are not available here: the costs backend is not installed.';
  }
  return backendMessage(error);
}

/**
 * Scaffolder field: the monthly cost of the deployment settings entered on
 * the same form, with its breakdown per region, asked from the costs
 * backend as the settings change. Display only: it stores nothing.
 */
export const DeploymentCostEstimate = (
  props: FieldExtensionComponentProps<null, DeploymentCostEstimateUiOptions>,
) => {
  const { uiSchema, formContext, registry, schema, idSchema } = props;
  const path =
    uiSchema?.['ui:options']?.settingsField ?? DEFAULT_SETTINGS_FIELD;
  const settings = readSettings(formContext?.formData, path, registry);
  const { estimate, error, loading } = useCostEstimate(settings);
  const classes = useStyles();
  const titleId = `${idSchema?.$id ?? 'deployment-cost-estimate'}-title`;

  return (
    <Paper
      variant="outlined"
      className={classes.root}
      role="region"
      aria-labelledby={titleId}
    >
      <Typography
        id={titleId}
        variant="overline"
        color="textSecondary"
        component="h3"
      >
        {schema.title ?? 'Estimated cost'}
      </Typography>
      <Box minHeight={4}>{loading && <LinearProgress />}</Box>
      {error && <Alert severity="warning">{problem(error)}</Alert>}
      {!error && estimate && (
        <>
          <Typography variant="h5" component="p" aria-live="polite">
            {formatMoney(estimate.monthlyTotal, estimate.currency)} per month
          </Typography>
          <Typography variant="caption" color="textSecondary" component="p">
            {estimate.hoursInMonth} hours in {estimate.month}, at the price
            sheet of the cluster; actual cost comes from the billing exports
            once the service runs.
          </Typography>
          <EstimateBreakdown estimate={estimate} />
        </>
      )}
      {!error && !estimate && !loading && (
        <Typography color="textSecondary">
          Fill in the deployment settings to see their monthly cost.
        </Typography>
      )}
    </Paper>
  );
};
