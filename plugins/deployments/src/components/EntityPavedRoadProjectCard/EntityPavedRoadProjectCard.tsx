import { ActorLink } from '../common/ActorLink';
import {
  ANNOTATION_SOURCE_LOCATION,
  getCompoundEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import {
  CopyTextButton,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import {
  deploymentSettingsUpdatePermission,
  projectDeactivatePermission,
  type Deployment,
  type DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';
import { useState, type ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deploymentsApiRef } from '../../api/DeploymentsApi';
import {
  isDeploymentsAvailable,
  SOURCE_TEMPLATE_ANNOTATION,
} from '../../conditions';
import { useActionGate } from '../../hooks/useActionGate';
import { formatDateTime } from '../../lib/format';
import { settingsSummary } from '../../lib/settingsSummary';
import {
  deactivatedReason,
  DeactivatedBanner,
} from '../common/DeactivatedBanner';
import { GatedButton } from '../common/GatedButton';
import { SettingsErrorBanner } from '../common/SettingsErrorBanner';
import { ConfirmProjectStateDialog } from './ConfirmProjectStateDialog';

/** The clone URL: what the paved road recorded, else the catalog's source. */
function sourceLocation(entity: Entity): string | undefined {
  const location = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
  return location?.replace(/^url:/, '');
}

function Repository(props: { url: string }) {
  const { url } = props;
  const browsable = /^https?:\/\//.test(url);
  const clone = `git clone ${url}`;
  return (
    <>
      {browsable ? <Link to={url}>{url}</Link> : <code>{url}</code>}
      <Box display="flex" alignItems="center">
        <code>{clone}</code>
        <CopyTextButton text={clone} aria-label="Copy clone command" />
      </Box>
    </>
  );
}

function LastDeployment(props: { deployment?: Deployment }) {
  const { deployment } = props;
  if (!deployment) {
    return <>Never deployed</>;
  }
  return (
    <>
      {deployment.version} to {deployment.environment}: {deployment.status},{' '}
      {formatDateTime(deployment.startedAt)}
    </>
  );
}

function CurrentSettings(props: { settings?: DeploymentSettingsVersion }) {
  const { settings } = props;
  if (!settings) {
    return <>None yet</>;
  }
  return (
    <>
      {settingsSummary(settings.settings)} (version {settings.version})
    </>
  );
}

/**
 * What the paved road knows of a project it made: business unit, cost
 * center, owner, template, repository, creation, current settings, last
 * deployment; and the actions the user may take on it.
 *
 * @public
 */
export function EntityPavedRoadProjectCard(props: {
  /** Path of the Deployments tab under the entity page. */
  deploymentsPath?: string;
}) {
  const { deploymentsPath = 'deployments' } = props;
  const { entity } = useEntity();
  const api = useApi(deploymentsApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const compoundRef = getCompoundEntityRef(entity);
  const { kind, namespace, name } = compoundRef;
  const [confirming, setConfirming] = useState<'deactivate' | 'reactivate'>();
  const settingsGate = useActionGate({
    entity,
    permission: deploymentSettingsUpdatePermission,
    action: 'change these settings',
  });
  const deactivateGate = useActionGate({
    entity,
    permission: projectDeactivatePermission,
    action: 'deactivate or reactivate this project',
  });

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const ref = { kind, namespace, name };
    const [record, project, settings, deployments] = await Promise.all([
      api.getCreationRecord(ref),
      api.getProject(ref),
      api.getLatestSettings(ref),
      api.listDeployments(ref, { limit: 1 }),
    ]);
    return { record, project, settings, lastDeployment: deployments[0] };
  }, [api, kind, namespace, name]);

  if (loading && !value) {
    return (
      <InfoCard title="Paved Road project">
        <Progress />
      </InfoCard>
    );
  }
  if (error && !value) {
    return (
      <InfoCard title="Paved Road project">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }

  const { record, project, settings, lastDeployment } = value!;
  const annotations = entity.metadata.annotations ?? {};
  const owner = entity.spec?.owner;
  const templateRef =
    record?.templateRef ?? annotations[SOURCE_TEMPLATE_ANNOTATION];
  const repoUrl = record?.repoUrl ?? project?.repoUrl ?? sourceLocation(entity);
  const deactivated = project?.deactivated ? project : undefined;

  const rows: Array<[string, ReactNode]> = [
    [
      'Business unit',
      annotations[ANNOTATION_BUSINESS_UNIT] ? (
        <EntityRefLink
          entityRef={annotations[ANNOTATION_BUSINESS_UNIT]}
          defaultKind="group"
        />
      ) : (
        '—'
      ),
    ],
    ['Cost center', annotations[ANNOTATION_COST_CENTER] ?? '—'],
    [
      'Owner',
      typeof owner === 'string' ? (
        <EntityRefLink entityRef={owner} defaultKind="group" />
      ) : (
        '—'
      ),
    ],
    [
      'Template',
      templateRef ? (
        <>
          <EntityRefLink entityRef={templateRef} defaultKind="template" />
          {record?.templateVersion && ` version ${record.templateVersion}`}
        </>
      ) : (
        '—'
      ),
    ],
    ['Repository', repoUrl ? <Repository url={repoUrl} /> : '—'],
  ];
  if (record) {
    rows.push([
      'Created',
      <>
        by <ActorLink actor={record.createdBy} /> on{' '}
        {formatDateTime(record.createdAt)}
      </>,
    ]);
  }
  rows.push(
    ['Settings', <CurrentSettings settings={settings} />],
    ['Last deployment', <LastDeployment deployment={lastDeployment} />],
  );

  const stateAction = deactivated ? 'reactivate' : 'deactivate';

  return (
    <InfoCard
      title="Paved Road project"
      actions={
        <>
          {isDeploymentsAvailable(entity) && settings && (
            <GatedButton
              color="primary"
              to={`${entityRoute(
                entityRouteParams(entity),
              )}/${deploymentsPath}`}
              disabledReason={
                settingsGate.reason ??
                (deactivated && deactivatedReason(deactivated))
              }
              pending={!settingsGate.allowed}
            >
              Change settings
            </GatedButton>
          )}
          {project && (
            <GatedButton
              color={deactivated ? 'primary' : 'secondary'}
              onClick={() => setConfirming(stateAction)}
              disabledReason={deactivateGate.reason}
              pending={!deactivateGate.allowed}
            >
              {deactivated ? 'Reactivate' : 'Deactivate'}
            </GatedButton>
          )}
        </>
      }
    >
      {deactivated && <DeactivatedBanner project={deactivated} />}
      {project?.settingsError && (
        <SettingsErrorBanner error={project.settingsError} />
      )}
      <Table size="small" aria-label="Paved Road project">
        <TableBody>
          {rows.map(([label, content]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row">
                {label}
              </TableCell>
              <TableCell>{content}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {confirming && (
        <ConfirmProjectStateDialog
          action={confirming}
          projectName={name}
          onConfirm={async () => {
            await api[confirming](compoundRef);
            retry();
          }}
          onClose={() => setConfirming(undefined)}
        />
      )}
    </InfoCard>
  );
}
