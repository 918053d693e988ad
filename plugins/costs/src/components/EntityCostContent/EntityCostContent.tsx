import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import useAsync from 'react-use/esm/useAsync';
import { costsApiRef } from '../../api/CostsApi';
import { useExplorerLink } from '../../hooks/useExplorerLink';
import { CostPlan } from './CostPlan';
import { CostSummary } from './CostSummary';
import { DailyCostChart } from './DailyCostChart';
import { EstimateOnly } from './EstimateOnly';
import { RecentCostTable } from './RecentCostTable';

const RECENT_DAYS = 7;

function hasCosts(report: EntityCostReport): boolean {
  return report.monthToDate !== 0 || report.daily.some(d => d.amount !== 0);
}

function NoCostData({ report }: { report: EntityCostReport }) {
  const description = report.lastIngestedAt
    ? `No billing rows are allocated to ${report.entityRef} between ${report.from} and ${report.to}. ` +
      `Tag its cloud resources with paved-road.io/service=${report.entityRef} and they appear after the next ingestion.`
    : 'No billing export has been ingested yet. Platform engineers configure costs.sources in app-config.';
  return (
    <EmptyState missing="data" title="No cost data" description={description} />
  );
}

/**
 * The Cost tab of an entity: actual cost of the last 30 days, from the
 * billing exports the costs backend ingests, next to the estimate of its
 * deployment settings, the month-end forecast and its cost center's budget.
 * A service without a bill yet shows its estimate, labelled as one.
 *
 * @public
 */
export function EntityCostContent() {
  const { entity } = useEntity();
  const costsApi = useApi(costsApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const explorerLink = useExplorerLink(entity);

  const { value, loading, error } = useAsync(
    () => costsApi.getEntityCosts({ kind, namespace, name }),
    [costsApi, kind, namespace, name],
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return null;
  }
  if (!hasCosts(value)) {
    const { estimate } = value;
    return estimate ? (
      <EstimateOnly
        report={{ ...value, estimate }}
        explorerLink={explorerLink}
      />
    ) : (
      <NoCostData report={value} />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <CostSummary report={value} />
      </Grid>
      <Grid item xs={12}>
        <CostPlan report={value} explorerLink={explorerLink} />
      </Grid>
      <Grid item xs={12} lg={8}>
        <InfoCard title="Daily cost" subheader={`${value.from} to ${value.to}`}>
          <DailyCostChart daily={value.daily} currency={value.currency} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <InfoCard title={`Last ${RECENT_DAYS} days`}>
          <RecentCostTable
            daily={value.daily}
            currency={value.currency}
            days={RECENT_DAYS}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
