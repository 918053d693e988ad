import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useSignal } from '@backstage/plugin-signals-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import EditIcon from '@material-ui/icons/Edit';
import HistoryIcon from '@material-ui/icons/History';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import {
  DEFAULT_DEPLOYMENT_ENVIRONMENT,
  deploymentCreatePermission,
  deploymentSettingsUpdatePermission,
  deploymentSignalChannel,
  type DeploymentDetails,
  type DeploymentSignal,
} from '@paved-road/plugin-deployments-common';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import { useActionGate } from '../../hooks/useActionGate';
import { commitUrlFor } from '../../lib/commitUrl';
import { rollbackTarget, runningDeployment } from '../../lib/rollback';
import {
  deactivatedReason,
  DeactivatedBanner,
} from '../common/DeactivatedBanner';
import { GatedButton } from '../common/GatedButton';
import { SettingsErrorBanner } from '../common/SettingsErrorBanner';
import { DeployDialog } from '../DeployDialog';
import { DeploymentProgressPanel } from '../DeploymentProgressPanel';
import { DoraCard } from '../DoraCard';
import { EditSettingsDialog } from '../EditSettingsDialog';
import { RuntimeCard } from '../RuntimeCard';
import { SettingsHistoryCard } from '../SettingsHistoryCard';
import { DeploymentHistoryTable } from './DeploymentHistoryTable';
import { DeploymentSettingsCard } from './DeploymentSettingsCard';
import { RollbackDialog } from './RollbackDialog';

/** Rollback, the runtime and the figures are about this environment. */
const ENVIRONMENT = DEFAULT_DEPLOYMENT_ENVIRONMENT;

/**
 * Entity page tab: Deploy, the deployment being followed (stages, log,
 * cancel), what runs now, the DORA figures, the deployment settings (with
 * Edit and their history) and the deployment history (with Rollback).
 *
 * @public
 */
export function EntityDeploymentsContent() {
  const { entity } = useEntity();
  const api = useApi(deploymentsApiRef);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const entityRef = useMemo(
    () => ({ kind, namespace, name }),
    [kind, namespace, name],
  );
  const [editing, setEditing] = useState(false);
  const [deploying, setDeploying] = useState(false);
  const [rollingBack, setRollingBack] = useState(false);
  // undefined: follow a running deployment if there is one; null: closed.
  const [shownId, setShownId] = useState<string | null>();
  // Bumped to reload the history, the runtime and the figures.
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads(n => n + 1), []);

  const settingsGate = useActionGate({
    entity,
    permission: deploymentSettingsUpdatePermission,
    action: 'change these settings',
  });
  const deployGate = useActionGate({
    entity,
    permission: deploymentCreatePermission,
    action: 'deploy this service',
  });

  // A reload keeps the previous value while it loads, so an open dialog
  // stays mounted when the data reloads under it; only the latest call's
  // answer is kept.
  const { value, loading, error } = useAsync(async () => {
    const [settings, deployments, project] = await Promise.all([
      api.getLatestSettings(entityRef),
      api.listDeployments(entityRef),
      api.getProject(entityRef),
    ]);
    return { settings, deployments, project };
  }, [api, entityRef, reloads]);

  // A deployment that is running when the tab opens is followed at once.
  const running = value && runningDeployment(value.deployments);
  useEffect(() => {
    if (shownId === undefined && running) {
      setShownId(running.id);
    }
  }, [shownId, running]);

  // Someone else's deployment changed status: show it in the history. The
  // followed one reports its own changes through its panel.
  const { lastSignal } = useSignal(
    deploymentSignalChannel(stringifyEntityRef(entity)),
  );
  const followed = useRef(shownId);
  followed.current = shownId;
  useEffect(() => {
    const signal = lastSignal as Partial<DeploymentSignal> | null;
    if (signal?.type === 'status' && signal.deploymentId !== followed.current) {
      reload();
    }
  }, [lastSignal, reload]);

  const repoUrl = value?.project?.repoUrl;
  const commitUrl = useCallback(
    (sha: string) => commitUrlFor(repoUrl, sha),
    [repoUrl],
  );

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
    settingsGate.reason ?? (deactivated && deactivatedReason(deactivated));
  const deployBlockedBy =
    deployGate.reason ??
    (deactivated && deactivatedReason(deactivated, 'deploy it'));
  const target = rollbackTarget(deployments, ENVIRONMENT);
  let rollbackBlockedBy = deployBlockedBy;
  if (!rollbackBlockedBy && runningDeployment(deployments, ENVIRONMENT)) {
    rollbackBlockedBy = `A deployment to ${ENVIRONMENT} is running: wait for it or cancel it`;
  } else if (!rollbackBlockedBy && !target) {
    rollbackBlockedBy = `No earlier successful version in ${ENVIRONMENT} to roll back to`;
  }

  const follow = (deployment: DeploymentDetails) => {
    setDeploying(false);
    setRollingBack(false);
    setShownId(deployment.id);
    reload();
  };

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
      <Grid item xs={12}>
        <Box display="flex" justifyContent="flex-end">
          <GatedButton
            color="primary"
            variant="contained"
            startIcon={<PlayArrowIcon />}
            onClick={() => setDeploying(true)}
            disabledReason={deployBlockedBy}
            pending={!deployGate.allowed}
          >
            Deploy
          </GatedButton>
        </Box>
      </Grid>
      {shownId && (
        <Grid item xs={12}>
          <DeploymentProgressPanel
            deploymentId={shownId}
            entityRef={entityRef}
            commitUrlFor={commitUrl}
            cancelBlockedBy={deployGate.reason}
            cancelPending={!deployGate.allowed}
            onStatusChange={reload}
            onClose={() => setShownId(null)}
          />
        </Grid>
      )}
      <Grid item xs={12} md={7}>
        <RuntimeCard
          entityRef={entityRef}
          environment={ENVIRONMENT}
          refreshKey={reloads}
        />
      </Grid>
      <Grid item xs={12} md={5}>
        <DoraCard
          entityRef={entityRef}
          environment={ENVIRONMENT}
          refreshKey={reloads}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <DeploymentSettingsCard
          settings={settings}
          action={
            settings && (
              <GatedButton
                startIcon={<EditIcon />}
                onClick={() => setEditing(true)}
                disabledReason={editBlockedBy}
                pending={!settingsGate.allowed}
              >
                Edit
              </GatedButton>
            )
          }
        />
      </Grid>
      <Grid item xs={12} md={8}>
        <DeploymentHistoryTable
          deployments={deployments}
          commitUrlFor={commitUrl}
          selectedId={shownId ?? undefined}
          onSelect={d => setShownId(d.id)}
          action={
            <GatedButton
              startIcon={<HistoryIcon />}
              onClick={() => setRollingBack(true)}
              disabledReason={rollbackBlockedBy}
              pending={!deployGate.allowed}
            >
              Rollback
            </GatedButton>
          }
        />
      </Grid>
      {settings && (
        <Grid item xs={12}>
          <SettingsHistoryCard
            entityRef={entityRef}
            currentVersion={settings.version}
          />
        </Grid>
      )}
      {editing && settings && (
        <EditSettingsDialog
          entityRef={entityRef}
          current={settings}
          onClose={() => setEditing(false)}
          onChanged={reload}
        />
      )}
      {deploying && (
        <DeployDialog
          entityRef={entityRef}
          onClose={() => setDeploying(false)}
          onStarted={follow}
        />
      )}
      {rollingBack && target && (
        <RollbackDialog
          environment={ENVIRONMENT}
          from={target.from}
          to={target.to}
          onConfirm={async () =>
            follow(await api.rollback(entityRef, { environment: ENVIRONMENT }))
          }
          onClose={() => setRollingBack(false)}
        />
      )}
    </Grid>
  );
}
