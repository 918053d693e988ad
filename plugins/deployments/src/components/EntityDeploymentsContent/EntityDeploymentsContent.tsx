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
import { useSearchParams } from 'react-router-dom';
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
import { EntityServiceLevelObjectivesCard } from '../EntityServiceLevelObjectivesCard';
import { EnvironmentsCard } from '../EnvironmentsCard';
import { RuntimeCard } from '../RuntimeCard';
import { SettingsHistoryCard } from '../SettingsHistoryCard';
import { DeploymentHistoryTable } from './DeploymentHistoryTable';
import { DeploymentSettingsCard } from './DeploymentSettingsCard';
import { RollbackDialog } from './RollbackDialog';

/**
 * `?deployment=<id>` opens that deployment (and selects its environment):
 * the scaffolder links here after deploying a new project.
 */
const DEPLOYMENT_PARAM = 'deployment';

/**
 * Entity page tab: Deploy, the deployment being followed (stages, log,
 * cancel), the environments (standard and previews, with Tear down), and
 * for the selected environment (production unless chosen) what runs there,
 * its DORA figures and its deployment history (with Rollback); the
 * deployment settings with Edit and their history.
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
  // The history, the runtime, the figures and Rollback are about this one.
  const [environment, setEnvironment] = useState(
    DEFAULT_DEPLOYMENT_ENVIRONMENT,
  );
  const [searchParams, setSearchParams] = useSearchParams();
  const linkedId = searchParams.get(DEPLOYMENT_PARAM) ?? undefined;
  // undefined: follow a running deployment if there is one; null: closed.
  const [shownId, setShownId] = useState<string | null | undefined>(linkedId);
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
  const teardownGate = useActionGate({
    entity,
    permission: deploymentCreatePermission,
    action: 'tear down its previews',
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
  // Apart, so that a failure leaves the rest of the tab working.
  const environments = useAsync(
    () => api.listEnvironments(entityRef),
    [api, entityRef, reloads],
  );

  // A link names a deployment: open it, and select its environment once
  // known (the panel reads the deployment on its own).
  useEffect(() => {
    if (linkedId) setShownId(linkedId);
  }, [linkedId]);
  const linked = useAsync(
    async () => (linkedId ? api.getDeployment(linkedId) : undefined),
    [api, linkedId],
  );
  const linkedEnvironment = linked.value?.environment;
  useEffect(() => {
    if (linkedEnvironment) setEnvironment(linkedEnvironment);
  }, [linkedEnvironment]);
  // Once another deployment is shown (or none), the link no longer says
  // what the page shows.
  const show = useCallback(
    (id: string | null) => {
      setShownId(id);
      if (searchParams.has(DEPLOYMENT_PARAM)) {
        const rest = new URLSearchParams(searchParams);
        rest.delete(DEPLOYMENT_PARAM);
        setSearchParams(rest, { replace: true });
      }
    },
    [searchParams, setSearchParams],
  );

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
  const target = rollbackTarget(deployments, environment);
  let rollbackBlockedBy = deployBlockedBy;
  if (!rollbackBlockedBy && runningDeployment(deployments, environment)) {
    rollbackBlockedBy = `A deployment to ${environment} is running: wait for it or cancel it`;
  } else if (!rollbackBlockedBy && !target) {
    rollbackBlockedBy = `No earlier successful version in ${environment} to roll back to`;
  }
  const standardEnvironments = environments.value
    ?.filter(e => e.kind === 'standard')
    .map(e => e.name);
  const selected = environments.value?.find(e => e.name === environment);

  // A deployment just started: follow it in its environment.
  const follow = (deployment: DeploymentDetails) => {
    setDeploying(false);
    setRollingBack(false);
    setEnvironment(deployment.environment);
    show(deployment.id);
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
            onClose={() => show(null)}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <EnvironmentsCard
          entityRef={entityRef}
          environments={environments.value}
          error={environments.error}
          selected={environment}
          onSelect={setEnvironment}
          onOpenDeployment={(where, id) => {
            setEnvironment(where);
            show(id);
          }}
          teardownBlockedBy={teardownGate.reason}
          teardownPending={!teardownGate.allowed}
          onTornDown={tornDown => {
            if (tornDown === environment) {
              setEnvironment(DEFAULT_DEPLOYMENT_ENVIRONMENT);
            }
            reload();
          }}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        <RuntimeCard
          entityRef={entityRef}
          environment={environment}
          refreshKey={reloads}
        />
      </Grid>
      <Grid item xs={12} md={5}>
        <DoraCard
          entityRef={entityRef}
          environment={environment}
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
          environment={environment}
          deployments={deployments.filter(d => d.environment === environment)}
          commitUrlFor={commitUrl}
          selectedId={shownId ?? undefined}
          onSelect={d => show(d.id)}
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
      <Grid item xs={12}>
        <EntityServiceLevelObjectivesCard />
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
          standardEnvironments={
            standardEnvironments?.length ? standardEnvironments : undefined
          }
          initial={{ environment, ref: selected?.branch ?? undefined }}
          onClose={() => setDeploying(false)}
          onStarted={follow}
        />
      )}
      {rollingBack && target && (
        <RollbackDialog
          environment={environment}
          from={target.from}
          to={target.to}
          onConfirm={async () =>
            follow(await api.rollback(entityRef, { environment }))
          }
          onClose={() => setRollingBack(false)}
        />
      )}
    </Grid>
  );
}
