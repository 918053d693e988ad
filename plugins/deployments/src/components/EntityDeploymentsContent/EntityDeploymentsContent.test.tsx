import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  Deployment,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import { screen, within } from '@testing-library/react';
import { DeploymentsApi, deploymentsApiRef } from '../../api/DeploymentsApi';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';
import { formatDateTime } from './format';

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
    environment: 'staging',
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
  return {
    listDeployments: jest.fn().mockResolvedValue(deployments),
    getLatestSettings: jest.fn().mockResolvedValue(settings),
    listSettingsVersions: jest.fn().mockResolvedValue([settings]),
    ...overrides,
  } as jest.Mocked<DeploymentsApi>;
}

async function renderContent(api: DeploymentsApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[deploymentsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityDeploymentsContent />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
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
    const rows = screen
      .getAllByRole('row')
      .filter(row => row.querySelector('[data-status]'));
    expect(rows).toHaveLength(3);

    const [running, failed, succeeded] = rows;
    expect(running).toHaveTextContent('1.5.0');
    expect(running).toHaveTextContent('staging');
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
});
