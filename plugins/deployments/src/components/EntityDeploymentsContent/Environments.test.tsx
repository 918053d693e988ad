import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { DeploymentEnvironment } from '@paved-road/plugin-deployments-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import type { DeploymentsApi } from '../../api/DeploymentsApi';
import {
  deployment,
  deploymentDetails,
  eventsPage,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  previewEnvironment,
  productionEnvironment,
  settingsVersion,
  SHA_1,
  SHA_2,
} from '../../__testUtils__/fixtures';
import { findDisabledReason } from '../../__testUtils__/gated';
import { historyRows, openDeployDialog } from '../../__testUtils__/tab';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { responseError } from '../../__testUtils__/responseError';
import { formatDateTime } from '../../lib/format';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const PREVIEW = 'preview-feature-login-form';
const SHA_3 = 'c3d4e5f60718293a4b5c6d7e8f90123456789012';

// 2 days, 3 hours and a margin from now: "expires in 2d 3h" while the test runs.
const preview = previewEnvironment({
  expiresAt: new Date(Date.now() + (51 * 3600 + 60) * 1000).toISOString(),
});

const history = [
  deployment({
    id: 'p2',
    environment: PREVIEW,
    commitSha: SHA_3,
    version: SHA_3,
    triggeredBy: 'user:default/bob',
    startedAt: '2026-01-12T09:00:00.000Z',
  }),
  deployment({ id: 'd2', commitSha: SHA_2, version: SHA_2 }),
  deployment({
    id: 'p1',
    environment: PREVIEW,
    commitSha: SHA_2,
    version: SHA_2,
    startedAt: '2026-01-11T09:00:00.000Z',
  }),
  deployment({ id: 'd1' }),
];

function mockApi(overrides: Partial<DeploymentsApi> = {}) {
  return mockDeploymentsApi({
    getLatestSettings: jest.fn().mockResolvedValue(settingsVersion(2)),
    listDeployments: jest.fn().mockResolvedValue(history),
    listEnvironments: jest
      .fn()
      .mockResolvedValue([productionEnvironment, preview]),
    ...overrides,
  });
}

/** Where the app is, to see what the tab does to its URL. */
function Search() {
  return <span data-testid="search">{useLocation().search}</span>;
}

async function render(
  api: DeploymentsApi,
  options: {
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    routeEntries?: string[];
  } = {},
) {
  await renderForEntity(
    <>
      <EntityDeploymentsContent />
      <Search />
    </>,
    { entity: ordersEntity, api, ...options },
  );
}

async function environmentRow(name: string) {
  const table = await screen.findByRole('table', { name: 'Environments' });
  return within(table).getByRole('row', { name: new RegExp(`^${name}\\b`) });
}

/** The environments the last runtime and figures reads were about. */
function lastReads(api: jest.Mocked<DeploymentsApi>) {
  return {
    runtime: api.getRuntime.mock.lastCall?.[1]?.environment,
    dora: api.getDoraMetrics.mock.lastCall?.[1]?.environment,
  };
}

describe('Environments on the Deployments tab', () => {
  it('lists production and the previews with URL, instances, last deployment and expiry', async () => {
    const building: DeploymentEnvironment = previewEnvironment({
      name: 'preview-fix-typo',
      branch: 'fix/typo',
      url: null,
      instances: { total: 0, healthy: 0 },
      lastDeployment: {
        ...preview.lastDeployment!,
        id: 'p9',
        status: 'in-progress',
        finishedAt: null,
      },
    });
    const api = mockApi({
      listEnvironments: jest
        .fn()
        .mockResolvedValue([productionEnvironment, preview, building]),
    });
    await render(api);

    const production = await environmentRow('production');
    expect(api.listEnvironments).toHaveBeenCalledWith(ordersRef);
    expect(
      within(production).getByRole('link', {
        name: /^http:\/\/localhost:18080\b/,
      }),
    ).toHaveAttribute('href', 'http://localhost:18080');
    expect(production).toHaveTextContent('2/2 healthy');
    expect(production).toHaveTextContent(
      `succeeded${SHA_1.slice(0, 7)} by alice, ${formatDateTime(
        '2026-01-10T10:00:00.000Z',
      )}`,
    );
    expect(
      within(production).queryByRole('button', { name: 'Tear down' }),
    ).not.toBeInTheDocument();

    const row = await environmentRow(PREVIEW);
    expect(row).toHaveTextContent('branch feature/login-form');
    expect(
      within(row).getByRole('link', { name: /^http:\/\/localhost:18180\b/ }),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent('1/1 healthy');
    expect(row).toHaveTextContent(`succeeded${SHA_2.slice(0, 7)} by bob`);
    expect(row).toHaveTextContent('expires in 2d 3h');
    await waitFor(() =>
      expect(
        within(row).getByRole('button', { name: 'Tear down' }),
      ).toBeEnabled(),
    );

    // Its deployment runs: it cannot be torn down under it.
    const busy = await environmentRow('preview-fix-typo');
    expect(busy).toHaveTextContent('none');
    expect(
      within(busy).getByRole('button', { name: 'Tear down' }),
    ).toBeDisabled();
    expect(
      within(busy).getByLabelText(
        'A deployment to preview-fix-typo is running: wait for it or cancel it',
      ),
    ).toBeInTheDocument();
  });

  it('switches the runtime, the figures, the history and Rollback to the selected environment', async () => {
    const api = mockApi();
    await render(api);

    await screen.findByText('Deployments to production');
    expect(historyRows().map(r => r.textContent)).toEqual([
      expect.stringContaining(SHA_2.slice(0, 7)),
      expect.stringContaining(SHA_1.slice(0, 7)),
    ]);
    await waitFor(() =>
      expect(lastReads(api)).toEqual({
        runtime: 'production',
        dora: 'production',
      }),
    );

    await userEvent.click(
      within(await environmentRow(PREVIEW)).getByRole('button', {
        name: PREVIEW,
      }),
    );

    expect(
      await screen.findByText(`Deployments to ${PREVIEW}`),
    ).toBeInTheDocument();
    expect(
      within(await environmentRow(PREVIEW)).getByRole('button', {
        name: PREVIEW,
      }),
    ).toHaveAttribute('aria-current', 'true');
    expect(historyRows().map(r => r.textContent)).toEqual([
      expect.stringContaining(SHA_3.slice(0, 7)),
      expect.stringContaining(SHA_2.slice(0, 7)),
    ]);
    await waitFor(() =>
      expect(lastReads(api)).toEqual({ runtime: PREVIEW, dora: PREVIEW }),
    );
    expect(
      await screen.findByText(new RegExp(`Nothing runs in ${PREVIEW}`)),
    ).toBeInTheDocument();

    const rollback = screen.getByRole('button', { name: 'Rollback' });
    await waitFor(() => expect(rollback).toBeEnabled());
    await userEvent.click(rollback);
    expect(
      await screen.findByRole('dialog', {
        name: `Roll ${PREVIEW} back to ${SHA_2.slice(0, 7)}?`,
      }),
    ).toBeInTheDocument();
  });

  it('tears a preview down after a confirmation, then reads the environments again', async () => {
    const api = mockApi({
      listEnvironments: jest
        .fn()
        .mockResolvedValueOnce([productionEnvironment, preview])
        .mockResolvedValue([productionEnvironment]),
    });
    await render(api);
    const row = await environmentRow(PREVIEW);
    await userEvent.click(within(row).getByRole('button', { name: PREVIEW }));
    await screen.findByText(`Deployments to ${PREVIEW}`);

    const button = within(row).getByRole('button', { name: 'Tear down' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog', {
      name: `Tear down ${PREVIEW}?`,
    });
    expect(dialog).toHaveTextContent(
      'Deploy feature/login-form as a preview again to bring it back.',
    );
    expect(api.teardownEnvironment).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Tear down' }),
    );

    expect(api.teardownEnvironment).toHaveBeenCalledWith(ordersRef, PREVIEW);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const table = screen.getByRole('table', { name: 'Environments' });
    await waitFor(() => expect(table).not.toHaveTextContent(PREVIEW));
    expect(api.listEnvironments).toHaveBeenCalledTimes(2);
    // The torn-down preview was selected: back to production.
    expect(
      await screen.findByText('Deployments to production'),
    ).toBeInTheDocument();
    expect(lastReads(api).runtime).toBe('production');
  });

  it('shows a refused teardown as the backend words it', async () => {
    const api = mockApi({
      teardownEnvironment: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            `A deployment to ${PREVIEW} is in-progress (run-7)`,
          ),
        ),
    });
    await render(api);

    const button = within(await environmentRow(PREVIEW)).getByRole('button', {
      name: 'Tear down',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Tear down' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      `A deployment to ${PREVIEW} is in-progress (run-7)`,
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenCalledTimes(1);
  });

  it('disables Tear down, saying who may, for a user without permission', async () => {
    await render(mockApi(), { authorize: AuthorizeResult.DENY });

    const { reason, button } = await findDisabledReason('Tear down');
    expect(reason).toBe(
      'Only members of checkout and platform admins can tear down its previews',
    );
    expect(button).toBeDisabled();
  });

  it('deploys a preview of a branch under the name the branch gives it, and follows it there', async () => {
    const started = deploymentDetails({
      id: 'p3',
      environment: PREVIEW,
      ref: 'feature/Login-Form',
      status: 'succeeded',
      finishedAt: '2026-01-12T09:01:00.000Z',
    });
    const api = mockApi({
      createDeployment: jest.fn().mockResolvedValue(started),
      getDeployment: jest.fn().mockResolvedValue(started),
      getDeploymentEvents: jest
        .fn()
        .mockResolvedValue(eventsPage([], { finished: true })),
    });
    await render(api);

    const dialog = await openDeployDialog();
    expect(
      within(dialog).getByRole('radio', { name: 'production' }),
    ).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'A preview of this branch' }),
    );

    const branch = within(dialog).getByRole('textbox', { name: /^Branch/ });
    await userEvent.clear(branch);
    const submit = within(dialog).getByRole('button', { name: 'Deploy' });
    expect(submit).toBeDisabled();
    expect(dialog).toHaveTextContent(
      'A preview needs the name of the branch it runs.',
    );
    await userEvent.type(branch, 'feature/Login-Form');
    expect(dialog).toHaveTextContent(`Runs in ${PREVIEW}, an environment`);
    await userEvent.click(submit);

    expect(api.createDeployment).toHaveBeenCalledWith(ordersRef, {
      ref: 'feature/Login-Form',
      environment: PREVIEW,
    });
    expect(
      await screen.findByText(
        `Deployment of ${SHA_2.slice(0, 7)} to ${PREVIEW}`,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(`Deployments to ${PREVIEW}`),
    ).toBeInTheDocument();
    await waitFor(() => expect(lastReads(api).runtime).toBe(PREVIEW));
  });

  it('opens the deployment a link names, in its environment, and forgets the link once closed', async () => {
    const finished = {
      status: 'succeeded',
      finishedAt: '2026-01-11T09:01:00.000Z',
    } as const;
    const linked = deploymentDetails({
      id: 'p1',
      environment: PREVIEW,
      ...finished,
    });
    const last = deploymentDetails({ id: 'd1', commitSha: SHA_1, ...finished });
    const api = mockApi({
      getDeployment: jest.fn(async (id: string) =>
        id === 'p1' ? linked : last,
      ),
      getDeploymentEvents: jest
        .fn()
        .mockResolvedValue(eventsPage([], { finished: true })),
    });
    await render(api, { routeEntries: ['/?deployment=p1&tab=x'] });

    expect(
      await screen.findByText(
        `Deployment of ${SHA_2.slice(0, 7)} to ${PREVIEW}`,
      ),
    ).toBeInTheDocument();
    expect(api.getDeployment).toHaveBeenCalledWith('p1');
    expect(
      await screen.findByText(`Deployments to ${PREVIEW}`),
    ).toBeInTheDocument();
    await waitFor(() => expect(lastReads(api).runtime).toBe(PREVIEW));

    await userEvent.click(
      screen.getByRole('button', { name: 'Close deployment' }),
    );
    expect(screen.getByTestId('search')).toHaveTextContent(/^\?tab=x$/);
    expect(
      screen.queryByText(`Deployment of ${SHA_2.slice(0, 7)} to ${PREVIEW}`),
    ).toBeNull();

    // An environment's last deployment opens as a history row does.
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Open the last deployment to production',
      }),
    );
    expect(
      await screen.findByText(
        `Deployment of ${SHA_1.slice(0, 7)} to production`,
      ),
    ).toBeInTheDocument();
    expect(api.getDeployment).toHaveBeenLastCalledWith('d1');
    expect(screen.getByText('Deployments to production')).toBeInTheDocument();
  });
});
