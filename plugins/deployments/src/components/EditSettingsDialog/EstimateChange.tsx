import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { errorMessage } from '../../lib/errors';

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency,
  }).format(amount);
}

/**
 * "Estimated cost €32.40 → €64.80 per month": what the change does to the
 * monthly cost, before it is saved. Nothing when the app has no costs
 * backend.
 */
export function EstimateChange(props: {
  before: DeploymentSettings;
  after: DeploymentSettings;
}) {
  const { before, after } = props;
  const api = useApi(deploymentsApiRef);
  const { value, error } = useAsync(async () => {
    if (!api.estimateMonthlyCost) {
      return undefined;
    }
    const [old, next] = await Promise.all([
      api.estimateMonthlyCost(before),
      api.estimateMonthlyCost(after),
    ]);
    return old && next ? { old, next } : undefined;
  }, [api, before, after]);

  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        No cost estimate: {errorMessage(error)}
      </Typography>
    );
  }
  if (!value) {
    return null;
  }
  const { old, next } = value;
  const delta = next.monthlyTotal - old.monthlyTotal;
  return (
    <Typography variant="body2" aria-label="Estimated cost">
      Estimated cost{' '}
      <strong>
        {money(old.monthlyTotal, old.currency)} →{' '}
        {money(next.monthlyTotal, next.currency)}
      </strong>{' '}
      per month
      {delta !== 0 &&
        next.currency === old.currency &&
        ` (${delta > 0 ? '+' : ''}${money(delta, next.currency)})`}
    </Typography>
  );
}
