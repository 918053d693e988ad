import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import EditIcon from '@material-ui/icons/Edit';
import { deploymentSettingsUpdatePermission } from '@paved-road/plugin-deployments-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { useActionGate } from '../../hooks/useActionGate';
import {
  deactivatedReason,
  DeactivatedBanner,
} from '../common/DeactivatedBanner';
import { GatedButton } from '../common/GatedButton';
import { SettingsErrorBanner } from '../common/SettingsErrorBanner';
import { EditSettingsDialog } from '../EditSettingsDialog';
import { SettingsHistoryCard } from '../SettingsHistoryCard';
import { DeploymentHistoryTable } from './DeploymentHistoryTable';
import { DeploymentSettingsCard } from './DeploymentSettingsCard';

/**
 * Entity page tab: the entity's deployment settings (with Edit and their
 * history) next to its deployment history.
 *
 * @public
 */
export function EntityDeploymentsContent() {
  const { entity } = useEntity();
  const api = useApi(deploymentsApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const [editing, setEditing] = useState(false);
  const gate = useActionGate({
    entity,
    permission: deploymentSettingsUpdatePermission,
    action: 'change these settings',
  });

  // A retry keeps the previous value while it loads, so an open dialog
  // stays mounted when the settings reload under it.
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const entityRef = { kind, namespace, name };
    const [settings, deployments, project] = await Promise.all([
      api.getLatestSettings(entityRef),
      api.listDeployments(entityRef),
      api.getProject(entityRef),
    ]);
    return { settings, deployments, project };
  }, [api, kind, namespace, name]);

  if (loading && !value) {
    return <Progress />;
  }
  if (error && !value) {
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

  const { settings, deployments, project } = value;
  const deactivated = project?.deactivated ? project : undefined;
  const editBlockedBy =
    gate.reason ?? (deactivated && deactivatedReason(deactivated));

  return (
    <Grid container spacing={3} alignItems="flex-start">
      {deactivated && (
        <Grid item xs={12}>
          <DeactivatedBanner project={deactivated} />
        </Grid>
      )}
      {project?.settingsError && (
        <Grid item xs={12}>
          <SettingsErrorBanner error={project.settingsError} />
        </Grid>
      )}
      <Grid item xs={12} md={4}>
        <DeploymentSettingsCard
          settings={settings}
          action={
            settings && (
              <GatedButton
                startIcon={<EditIcon />}
                onClick={() => setEditing(true)}
                disabledReason={editBlockedBy}
                pending={!gate.allowed}
              >
                Edit
              </GatedButton>
            )
          }
        />
      </Grid>
      <Grid item xs={12} md={8}>
        <DeploymentHistoryTable deployments={deployments} />
      </Grid>
      {settings && (
        <Grid item xs={12}>
          <SettingsHistoryCard
            entityRef={{ kind, namespace, name }}
            currentVersion={settings.version}
          />
        </Grid>
      )}
      {editing && settings && (
        <EditSettingsDialog
          entityRef={{ kind, namespace, name }}
          current={settings}
          onClose={() => setEditing(false)}
          onChanged={retry}
        />
      )}
    </Grid>
  );
}
