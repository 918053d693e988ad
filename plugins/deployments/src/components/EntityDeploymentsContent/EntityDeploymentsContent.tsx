import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { DeploymentHistoryTable } from './DeploymentHistoryTable';
import { DeploymentSettingsCard } from './DeploymentSettingsCard';

/**
 * Entity page tab: the entity's deployment settings next to its deployment
 * history.
 *
 * @public
 */
export function EntityDeploymentsContent() {
  const { entity } = useEntity();
  const api = useApi(deploymentsApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);

  const { value, loading, error } = useAsync(async () => {
    const entityRef = { kind, namespace, name };
    const [settings, deployments] = await Promise.all([
      api.getLatestSettings(entityRef),
      api.listDeployments(entityRef),
    ]);
    return { settings, deployments };
  }, [api, kind, namespace, name]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value || (!value.settings && value.deployments.length === 0)) {
    return (
      <EmptyState
        missing="data"
        title="No deployments yet"
        description="This service has no deployment settings and has never been deployed through Paved Road."
      />
    );
  }

  return (
    <Grid container spacing={3} alignItems="flex-start">
      <Grid item xs={12} md={4}>
        <DeploymentSettingsCard settings={value.settings} />
      </Grid>
      <Grid item xs={12} md={8}>
        <DeploymentHistoryTable deployments={value.deployments} />
      </Grid>
    </Grid>
  );
}
