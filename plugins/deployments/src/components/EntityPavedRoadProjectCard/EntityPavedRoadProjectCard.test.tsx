import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Deployment } from '@paved-road/plugin-deployments-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProjectCreationRecord } from '../../api/DeploymentsApi';
import { formatDateTime } from '../../lib/format';
import {
  activeProject,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  settingsVersion,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { responseError } from '../../__testUtils__/responseError';
import { EntityPavedRoadProjectCard } from './EntityPavedRoadProjectCard';

const entity: Entity = {
  ...ordersEntity,
  metadata: {
    ...ordersEntity.metadata,
    annotations: {
      'paved-road.io/deployment': 'deploy/paved-road.yaml',
      'paved-road.io/business-unit': 'group:default/retail',
      'paved-road.io/cost-center': 'CC-1001',
      'backstage.io/source-template': 'template:default/kotlin-service',
    },
  },
};

const record: ProjectCreationRecord = {
  entityRef: 'component:default/orders-service',
  createdBy: 'user:default/alice',
  createdAt: '2026-01-02T09:00:00.000Z',
  templateRef: 'template:default/kotlin-service',
  templateVersion: '1.3.0',
  repoUrl: 'https://github.com/acme/orders-service.git',
  taskId: 'task-1',
};

const lastDeployment: Deployment = {
  id: 'd1',
  entityRef: 'component:default/orders-service',
  environment: 'production',
  version: '1.4.2',
  status: 'succeeded',
  strategy: 'canary',
  triggeredBy: 'user:default/alice',
  startedAt: '2026-01-10T10:00:00.000Z',
  finishedAt: '2026-01-10T10:07:00.000Z',
};

function api(overrides = {}) {
  return mockDeploymentsApi({
    getCreationRecord: jest.fn().mockResolvedValue(record),
    getLatestSettings: jest.fn().mockResolvedValue(settingsVersion(2)),
    listDeployments: jest.fn().mockResolvedValue([lastDeployment]),
    ...overrides,
  });
}

async function renderCard(
  deploymentsApi = api(),
  authorize?: Record<string, AuthorizeResult.ALLOW | AuthorizeResult.DENY>,
) {
  await renderForEntity(<EntityPavedRoadProjectCard />, {
    entity,
    api: deploymentsApi,
    authorize,
  });
  const table = await screen.findByRole('table', {
    name: 'Paved Road project',
  });
  return { table, deploymentsApi };
}

function row(table: HTMLElement, label: string) {
  return within(table).getByRole('row', { name: new RegExp(`^${label}\\b`) });
}

describe('EntityPavedRoadProjectCard', () => {
  it('shows what the paved road knows of the project', async () => {
    const { table, deploymentsApi } = await renderCard();

    expect(deploymentsApi.listDeployments).toHaveBeenCalledWith(ordersRef, {
      limit: 1,
    });
    expect(
      within(row(table, 'Business unit')).getByRole('link'),
    ).toHaveAttribute('href', '/catalog/default/group/retail');
    expect(row(table, 'Cost center')).toHaveTextContent('CC-1001');
    expect(within(row(table, 'Owner')).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/group/checkout',
    );
    expect(row(table, 'Template')).toHaveTextContent(
      'kotlin-service version 1.3.0',
    );
    const repository = row(table, 'Repository');
    expect(
      within(repository).getByRole('link', { name: /orders-service\.git/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/orders-service.git');
    expect(repository).toHaveTextContent(
      'git clone https://github.com/acme/orders-service.git',
    );
    expect(row(table, 'Created')).toHaveTextContent(
      `by alice on ${formatDateTime(record.createdAt)}`,
    );
    expect(row(table, 'Settings')).toHaveTextContent(
      '2 × 500m CPU / 512 MiB, eu-west-1, canary 10% (version 2)',
    );
    expect(row(table, 'Last deployment')).toHaveTextContent(
      `1.4.2 to production: succeeded, ${formatDateTime(
        lastDeployment.startedAt,
      )}`,
    );
  });

  it('links Change settings to the Deployments tab', async () => {
    await renderCard();

    // LinkButton: an anchor styled (and announced) as a button.
    const link = await screen.findByRole('button', { name: 'Change settings' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service/deployments',
    );
  });

  it('leaves out the creation when there is no record', async () => {
    const { table } = await renderCard(
      api({
        getCreationRecord: jest.fn().mockResolvedValue(undefined),
        listDeployments: jest.fn().mockResolvedValue([]),
      }),
    );

    expect(
      within(table).queryByRole('row', { name: /^Created/ }),
    ).not.toBeInTheDocument();
    // The template comes from the catalog, the repository from the project.
    expect(row(table, 'Template')).toHaveTextContent('kotlin-service');
    expect(row(table, 'Template')).not.toHaveTextContent('version');
    expect(row(table, 'Repository')).toHaveTextContent(
      'git clone https://github.com/acme/orders-service',
    );
    expect(row(table, 'Last deployment')).toHaveTextContent('Never deployed');
  });

  it('deactivates only after confirmation, then shows the project deactivated', async () => {
    const deploymentsApi = api({
      getProject: jest
        .fn()
        .mockResolvedValueOnce(activeProject)
        .mockResolvedValue({
          ...activeProject,
          deactivated: true,
          deactivatedBy: 'user:default/carol',
          deactivatedAt: '2026-01-20T08:00:00.000Z',
        }),
    });
    await renderCard(deploymentsApi);

    const deactivate = await screen.findByRole('button', {
      name: 'Deactivate',
    });
    await waitFor(() => expect(deactivate).toBeEnabled());
    await userEvent.click(deactivate);
    const dialog = await screen.findByRole('dialog', {
      name: 'Deactivate orders-service?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(deploymentsApi.deactivate).not.toHaveBeenCalled();

    await userEvent.click(deactivate);
    await userEvent.click(
      within(
        await screen.findByRole('dialog', {
          name: 'Deactivate orders-service?',
        }),
      ).getByRole('button', { name: 'Deactivate' }),
    );

    expect(deploymentsApi.deactivate).toHaveBeenCalledWith(ordersRef);
    expect(await screen.findByTestId('deactivated-banner')).toHaveTextContent(
      'deactivated by carol',
    );
    expect(
      screen.getByRole('button', { name: 'Reactivate' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('shows why the backend refused a deactivation', async () => {
    const deploymentsApi = api({
      deactivate: jest
        .fn()
        .mockRejectedValue(
          await responseError(409, 'ConflictError', 'A deployment is running'),
        ),
    });
    await renderCard(deploymentsApi);

    const deactivate = await screen.findByRole('button', {
      name: 'Deactivate',
    });
    await waitFor(() => expect(deactivate).toBeEnabled());
    await userEvent.click(deactivate);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deactivate' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'A deployment is running',
    );
  });

  it('disables the actions the user may not take, saying why', async () => {
    await renderCard(api(), {
      'deployments.project.deactivate': AuthorizeResult.DENY,
      'deployments.settings.update': AuthorizeResult.DENY,
    });

    const reasons = await screen.findAllByTestId('disabled-reason');
    expect(reasons.map(r => r.getAttribute('aria-label'))).toEqual([
      'Only members of checkout and platform admins can change these settings',
      'Only members of checkout and platform admins can deactivate or reactivate this project',
    ]);
    expect(
      within(reasons[1]).getByRole('button', { name: 'Deactivate' }),
    ).toBeDisabled();
    const change = within(reasons[0]).getByRole('button', {
      name: 'Change settings',
    });
    expect(change).toBeDisabled();
    expect(change).not.toHaveAttribute('href');
  });
});
