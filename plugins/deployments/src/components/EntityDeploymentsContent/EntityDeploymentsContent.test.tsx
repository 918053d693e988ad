import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  Deployment,
  DeploymentSettingsVersion,
  ProjectState,
} from '@paved-road/plugin-deployments-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeploymentsApi } from '../../api/DeploymentsApi';
import { mockDeploymentsApi } from '../../__testUtils__/fixtures';
import { findDisabledReason } from '../../__testUtils__/gated';
import { historyRows } from '../../__testUtils__/tab';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';
import { formatDateTime } from '../../lib/format';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

const settings: DeploymentSettingsVersion = {
  entityRef: 'component:default/orders-service',
  version: 2,
  settings: {
    cluster: 'eu-prod-1',
    replicas: 4,
    cpuMillicores: 750,
    memoryMiB: 1536,
    regions: ['eu-west-1', 'eu-central-1'],
    rollout: {
      strategy: 'canary',
      canaryPercent: 20,
      healthCheckPath: '/actuator/health',
    },
  },
  createdBy: 'user:default/bob',
  createdAt: '2026-01-05T12:00:00.000Z',
  source: 'portal',
  commitSha: '0123456789abcdef',
  commitUrl: 'https://github.com/acme/orders-service/commit/0123456789abcdef',
  message: 'Peak season',
};

const activeProject: ProjectState = {
  entityRef: 'component:default/orders-service',
  repoUrl: 'https://github.com/acme/orders-service',
  deactivated: false,
  deactivatedBy: null,
  deactivatedAt: null,
  settingsError: null,
};

function deployment(overrides: Partial<Deployment> & { id: string }) {
  return {
    entityRef: 'component:default/orders-service',
    environment: 'production',
    version: '1.4.2',
    status: 'succeeded',
    strategy: 'canary',
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:07:00.000Z',
    ...overrides,
  } as Deployment;
}

const deployments = [
  deployment({
    id: 'd3',
    version: '1.5.0',
    status: 'in-progress',
    triggeredBy: 'user:default/carol',
    startedAt: '2026-01-12T09:00:00.000Z',
    finishedAt: null,
  }),
  deployment({
    id: 'd2',
    version: '1.4.2',
    status: 'failed',
    triggeredBy: 'user:default/bob',
    startedAt: '2026-01-11T10:00:00.000Z',
    finishedAt: '2026-01-11T10:02:30.000Z',
  }),
  deployment({ id: 'd1', version: '1.4.1' }),
];

function mockApi(overrides: Partial<DeploymentsApi> = {}) {
  return mockDeploymentsApi({
    listDeployments: jest.fn().mockResolvedValue(deployments),
    getLatestSettings: jest.fn().mockResolvedValue(settings),
    listSettingsVersions: jest.fn().mockResolvedValue([settings]),
    getProject: jest.fn().mockResolvedValue(activeProject),
    ...overrides,
  });
}

async function renderContent(
  api: DeploymentsApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  await renderForEntity(<EntityDeploymentsContent />, {
    entity,
    api,
    authorize,
  });
}

function rowOf(table: HTMLElement, label: string) {
  return within(table).getByRole('row', {
    name: new RegExp(`^${label}\\b`),
  });
}

describe('EntityDeploymentsContent', () => {
  it('asks the api about the entity on the page', async () => {
    const api = mockApi();
    await renderContent(api);

    await screen.findByText('Deployment history');
    const ref = {
      kind: 'Component',
      namespace: 'default',
      name: 'orders-service',
    };
    expect(api.getLatestSettings).toHaveBeenCalledWith(ref);
    expect(api.listDeployments).toHaveBeenCalledWith(ref);
    expect(api.getProject).toHaveBeenCalledWith(ref);
  });

  it('shows the current settings and who changed them', async () => {
    await renderContent(mockApi());

    const table = await screen.findByRole('table', {
      name: 'Deployment settings',
    });
    expect(rowOf(table, 'Cluster')).toHaveTextContent('eu-prod-1');
    expect(rowOf(table, 'Replicas')).toHaveTextContent('4');
    expect(rowOf(table, 'CPU')).toHaveTextContent('750 millicores');
    expect(rowOf(table, 'Memory')).toHaveTextContent('1536 MiB');
    expect(rowOf(table, 'Regions')).toHaveTextContent(
      'eu-west-1, eu-central-1',
    );
    expect(rowOf(table, 'Rollout strategy')).toHaveTextContent(
      'canary (20% first)',
    );
    expect(rowOf(table, 'Settings version')).toHaveTextContent('2');
    expect(
      within(rowOf(table, 'Changed by')).getByRole('link', { name: /bob/ }),
    ).toHaveAttribute('href', '/catalog/default/user/bob');
    expect(rowOf(table, 'Changed at')).toHaveTextContent(
      formatDateTime(settings.createdAt),
    );
  });

  it('lists the deployment history in the order the backend returns', async () => {
    await renderContent(mockApi());

    await screen.findByText('Deployment history');
    const rows = historyRows();
    expect(rows).toHaveLength(3);

    const [running, failed, succeeded] = rows;
    expect(running).toHaveTextContent('1.5.0');
    expect(running).toHaveTextContent('production');
    expect(within(running).getByText('in-progress')).toBeInTheDocument();
    expect(running).toHaveTextContent('carol');
    expect(running).toHaveTextContent('—');

    expect(failed).toHaveTextContent('1.4.2');
    expect(within(failed).getByText('failed')).toBeInTheDocument();
    expect(failed).toHaveTextContent('2m 30s');
    expect(failed).toHaveTextContent(
      formatDateTime('2026-01-11T10:00:00.000Z'),
    );

    expect(succeeded).toHaveTextContent('1.4.1');
    expect(succeeded).toHaveTextContent('7m');
  });

  it('shows history even before any settings exist', async () => {
    await renderContent(
      mockApi({ getLatestSettings: jest.fn().mockResolvedValue(undefined) }),
    );

    expect(
      await screen.findByText(/No deployment settings have been saved/),
    ).toBeInTheDocument();
    expect(screen.getByText('1.5.0')).toBeInTheDocument();
  });

  it('shows an empty state when there is nothing to show', async () => {
    await renderContent(
      mockApi({
        getLatestSettings: jest.fn().mockResolvedValue(undefined),
        listDeployments: jest.fn().mockResolvedValue([]),
      }),
    );

    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    expect(screen.queryByText('Deployment history')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const response = new Response(
      JSON.stringify({
        error: { name: 'Error', message: 'database unavailable' },
        request: { method: 'GET', url: '/deployments' },
        response: { statusCode: 500 },
      }),
      { status: 500, headers: { 'content-type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);

    await renderContent(
      mockApi({ listDeployments: jest.fn().mockRejectedValue(error) }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'database unavailable',
    );
    expect(screen.queryByText('Deployment history')).not.toBeInTheDocument();
  });

  it('shows the commit and reason of the current settings', async () => {
    await renderContent(mockApi());

    const table = await screen.findByRole('table', {
      name: 'Deployment settings',
    });
    expect(rowOf(table, 'Why')).toHaveTextContent('Peak season');
    expect(within(rowOf(table, 'Commit')).getByRole('link')).toHaveAttribute(
      'href',
      settings.commitUrl,
    );
    expect(rowOf(table, 'Commit')).toHaveTextContent('0123456');
  });

  it('opens the settings editor from Edit when allowed', async () => {
    await renderContent(mockApi());

    const edit = await screen.findByRole('button', { name: /edit/i });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);

    expect(
      await screen.findByRole('dialog', { name: 'Edit deployment settings' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Replicas/)).toHaveValue(4);
  });

  it('disables Edit, saying who may change the settings, when denied', async () => {
    await renderContent(mockApi(), AuthorizeResult.DENY);

    const { reason, button } = await findDisabledReason(/edit/i);
    expect(reason).toBe(
      'Only members of checkout and platform admins can change these settings',
    );
    expect(button).toBeDisabled();
  });

  it('shows a deactivated project with a banner and Edit disabled', async () => {
    await renderContent(
      mockApi({
        getProject: jest.fn().mockResolvedValue({
          ...activeProject,
          deactivated: true,
          deactivatedBy: 'user:default/carol',
          deactivatedAt: '2026-01-20T08:00:00.000Z',
        }),
      }),
    );

    const banner = await screen.findByTestId('deactivated-banner');
    expect(banner).toHaveTextContent('This project is deactivated by carol');
    expect(banner).toHaveTextContent(
      formatDateTime('2026-01-20T08:00:00.000Z'),
    );
    const { reason, button } = await findDisabledReason(/edit/i);
    expect(reason).toBe(
      `This project was deactivated by carol at ${formatDateTime(
        '2026-01-20T08:00:00.000Z',
      )}: reactivate it to change its settings`,
    );
    expect(button).toBeDisabled();
    const deploy = await findDisabledReason('Deploy');
    expect(deploy.reason).toBe(
      `This project was deactivated by carol at ${formatDateTime(
        '2026-01-20T08:00:00.000Z',
      )}: reactivate it to deploy it`,
    );
    expect(deploy.button).toBeDisabled();
  });

  it('reports an invalid settings file in the repository', async () => {
    await renderContent(
      mockApi({
        getProject: jest.fn().mockResolvedValue({
          ...activeProject,
          settingsError: {
            message: 'spec.replicas: Too small: expected number to be >=1',
            commitSha: 'feedbeef00',
            detectedAt: '2026-01-21T08:00:00.000Z',
          },
        }),
      }),
    );

    expect(
      await screen.findByText('The settings file in the repository is invalid'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/spec\.replicas: Too small: expected number to be >=1/),
    ).toHaveTextContent('commit feedbee');
  });

  it('lists the settings history below', async () => {
    await renderContent(mockApi());

    expect(
      await screen.findByRole('table', { name: 'Settings history' }),
    ).toBeInTheDocument();
  });
});
