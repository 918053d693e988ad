import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deploymentSignalChannel,
  FINISHED_DEPLOYMENT_STATUSES,
  type Deployment,
  type DeploymentDetails,
  type DeploymentLogLine,
} from '@paved-road/plugin-deployments-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DeploymentsApi } from '../../api/DeploymentsApi';
import {
  deployment,
  deploymentDetails,
  eventsPage,
  logLines,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  settingsVersion,
  SHA_1,
  SHA_2,
  stage,
} from '../../__testUtils__/fixtures';
import { findDisabledReason } from '../../__testUtils__/gated';
import { historyRows, openDeployDialog } from '../../__testUtils__/tab';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { responseError } from '../../__testUtils__/responseError';
import { FakeSignalApi } from '../../__testUtils__/signals';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const CHANNEL = deploymentSignalChannel('component:default/orders-service');

/**
 * A deployment whose state and log the test moves on, answered as
 * `GET /deployments/:id` and `GET /deployments/:id/events?after=` do.
 */
function scriptedRun(initial: DeploymentDetails) {
  let details = initial;
  const log: DeploymentLogLine[] = [];
  return {
    getDeployment: jest.fn(async (id: string) => {
      expect(id).toBe(details.id);
      return details;
    }),
    getDeploymentEvents: jest.fn(
      async (_id: string, options?: { after?: string }) => {
        const after = Number(options?.after ?? 0);
        return eventsPage(
          log.filter(line => line.seq > after),
          {
            after,
            finished: FINISHED_DEPLOYMENT_STATUSES.includes(details.status),
          },
        );
      },
    ),
    /** The deployment moves on: new state, new log lines. */
    advance(changes: Partial<DeploymentDetails>, ...lines: string[]) {
      details = { ...details, ...changes };
      log.push(...logLines(log.length + 1, ...lines));
    },
  };
}

function mockApi(overrides: Partial<DeploymentsApi> = {}) {
  return mockDeploymentsApi({
    getLatestSettings: jest.fn().mockResolvedValue(settingsVersion(2)),
    ...overrides,
  });
}

async function render(
  api: DeploymentsApi,
  options: {
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    signalApi?: FakeSignalApi;
  } = {},
) {
  await renderForEntity(<EntityDeploymentsContent />, {
    entity: ordersEntity,
    api,
    authorize: options.authorize,
    signalApi: options.signalApi,
  });
}

function stageRow(name: string) {
  return within(
    screen.getByRole('table', { name: 'Deployment stages' }),
  ).getByRole('row', { name: new RegExp(`^${name}\\b`) });
}

describe('Deploying from the Deployments tab', () => {
  it('starts a deployment of main to production and follows it live through signals', async () => {
    const signals = new FakeSignalApi();
    const run = scriptedRun(deploymentDetails({ id: 'run-1' }));
    run.advance(
      { status: 'in-progress', stages: [stage('build', 'running', 0)] },
      'Cloning main at b2c3d4e',
    );
    const api = mockApi({
      createDeployment: jest
        .fn()
        .mockResolvedValue(deploymentDetails({ id: 'run-1' })),
      ...run,
    });
    await render(api, { signalApi: signals });

    const dialog = await openDeployDialog();
    expect(within(dialog).getByLabelText('Ref')).toHaveValue('main');
    expect(
      within(dialog).getByRole('radio', { name: 'production' }),
    ).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    expect(api.createDeployment).toHaveBeenCalledWith(ordersRef, {
      ref: 'main',
      environment: 'production',
    });
    await screen.findByRole('table', { name: 'Deployment stages' });
    expect(
      screen.getByText(`Deployment of ${SHA_2.slice(0, 7)} to production`),
    ).toBeInTheDocument();
    expect(stageRow('build')).toHaveTextContent('running');
    const log = screen.getByRole('log', { name: 'Deployment log' });
    expect(log).toHaveTextContent('Cloning main at b2c3d4e');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The new deployment shows in the history at once.
    expect(api.listDeployments).toHaveBeenCalledTimes(2);

    // A stage ends and the next starts: the backend signals it.
    run.advance(
      {
        stages: [
          stage('build', 'succeeded', 0, 40),
          stage('canary', 'running', 40),
        ],
      },
      'BUILD SUCCESS',
      'Starting 1 canary instance',
    );
    signals.publish(CHANNEL, {
      type: 'stage',
      deploymentId: 'run-1',
      entityRef: 'component:default/orders-service',
      environment: 'production',
      status: 'in-progress',
    });

    await waitFor(() =>
      expect(stageRow('canary')).toHaveTextContent('running'),
    );
    expect(stageRow('build')).toHaveTextContent('succeeded');
    expect(stageRow('build')).toHaveTextContent('40s');
    await waitFor(() =>
      expect(log).toHaveTextContent(
        'Cloning main at b2c3d4eBUILD SUCCESSStarting 1 canary instance',
      ),
    );
    // The log is read on from its cursor, not again from the start.
    expect(run.getDeploymentEvents).toHaveBeenCalledWith(
      'run-1',
      expect.objectContaining({ after: '1' }),
    );

    run.advance(
      {
        status: 'succeeded',
        finishedAt: '2026-01-12T09:01:05.000Z',
        stages: [
          stage('build', 'succeeded', 0, 40),
          stage('canary', 'succeeded', 40, 10),
          stage('bake', 'succeeded', 50, 5),
          stage('promote', 'succeeded', 55, 10),
        ],
      },
      'Promoted b2c3d4e',
    );
    const runtimeReads = api.getRuntime.mock.calls.length;
    signals.publish(CHANNEL, {
      type: 'status',
      deploymentId: 'run-1',
      entityRef: 'component:default/orders-service',
      environment: 'production',
      status: 'succeeded',
    });

    expect(await screen.findByTestId('deployment-outcome')).toHaveTextContent(
      `Succeeded after 1m 5s: ${SHA_2.slice(0, 7)} serves production.`,
    );
    expect(stageRow('promote')).toHaveTextContent('succeeded');
    await waitFor(() => expect(log).toHaveTextContent('Promoted b2c3d4e'));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    // What depends on the outcome reloads: history, runtime, figures.
    await waitFor(() =>
      expect(api.getRuntime.mock.calls.length).toBeGreaterThan(runtimeReads),
    );
    expect(api.getDoraMetrics.mock.calls.length).toBeGreaterThan(1);
  });

  it('polls at most once a second where the app has no signals, and stops when done', async () => {
    const run = scriptedRun(deploymentDetails({ id: 'run-1' }));
    const api = mockApi({
      createDeployment: jest
        .fn()
        .mockResolvedValue(deploymentDetails({ id: 'run-1' })),
      ...run,
    });
    await render(api);

    const dialog = await openDeployDialog();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    expect(
      await screen.findByText('Waiting for a runner to start it.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Updated every second while it runs.'),
    ).toBeInTheDocument();

    run.advance(
      { status: 'in-progress', stages: [stage('build', 'running', 0)] },
      'Cloning main at b2c3d4e',
    );
    await waitFor(() => expect(stageRow('build')).toHaveTextContent('running'));
    expect(screen.getByRole('log')).toHaveTextContent('Cloning main');

    run.advance(
      {
        status: 'rolled-back',
        finishedAt: '2026-01-12T09:00:30.000Z',
        reason: 'canary: /actuator/health answered 503',
        stages: [
          stage('build', 'succeeded', 0, 20),
          {
            ...stage('canary', 'failed', 20, 10),
            error: '/actuator/health answered 503',
          },
        ],
      },
      'Canary unhealthy, stopping it',
    );
    expect(await screen.findByTestId('deployment-outcome')).toHaveTextContent(
      'Rolled back after 30s: canary: /actuator/health answered 503. The previous version still serves production.',
    );
    expect(stageRow('canary')).toHaveTextContent(
      '/actuator/health answered 503',
    );

    // Finished and the log read to its end: no more requests.
    await waitFor(() =>
      expect(screen.getByRole('log')).toHaveTextContent('stopping it'),
    );
    await new Promise(resolve => setTimeout(resolve, 1500));
    const reads = run.getDeployment.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(run.getDeployment).toHaveBeenCalledTimes(reads);
  });

  it('shows a refusal as the backend words it and keeps the dialog open', async () => {
    const api = mockApi({
      createDeployment: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(
            409,
            'ConflictError',
            'A deployment of component:default/orders-service to production is in-progress (run-0)',
          ),
        )
        .mockRejectedValueOnce(
          await responseError(
            400,
            'InputError',
            'ref: no branch, tag or commit named nope in http://localhost:7007/api/local-git/orders-service.git',
          ),
        ),
    });
    await render(api);

    const dialog = await openDeployDialog();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'A deployment of component:default/orders-service to production is in-progress (run-0)',
    );

    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'A preview of this branch' }),
    );
    const ref = within(dialog).getByRole('textbox', { name: /^Branch/ });
    await userEvent.clear(ref);
    await userEvent.type(ref, 'nope');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Deploy' }),
    );

    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'ref: no branch, tag or commit named nope',
      ),
    );
    expect(api.createDeployment).toHaveBeenLastCalledWith(ordersRef, {
      ref: 'nope',
      environment: 'preview-nope',
    });
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Deployment stages' }),
    ).toBeNull();
  });

  it('disables Deploy and Rollback, saying who may deploy, for a user without permission', async () => {
    const api = mockApi({
      listDeployments: jest
        .fn()
        .mockResolvedValue([
          deployment({ id: 'd2', commitSha: SHA_2, version: SHA_2 }),
          deployment({ id: 'd1' }),
        ]),
    });
    await render(api, { authorize: AuthorizeResult.DENY });

    const deploy = await findDisabledReason('Deploy');
    expect(deploy.reason).toBe(
      'Only members of checkout and platform admins can deploy this service',
    );
    expect(deploy.button).toBeDisabled();
    const rollback = await findDisabledReason('Rollback');
    expect(rollback.reason).toBe(deploy.reason);
    expect(rollback.button).toBeDisabled();
  });
});

describe('History and rollback', () => {
  const history: Deployment[] = [
    deployment({
      id: 'd3',
      commitSha: 'c3c3c3c3c3c3',
      version: 'c3c3c3c3c3c3',
      status: 'rolled-back',
      reason: 'canary: /actuator/health answered 503',
      triggeredBy: 'user:default/bob',
      startedAt: '2026-01-11T10:00:00.000Z',
      finishedAt: '2026-01-11T10:01:30.000Z',
    }),
    deployment({ id: 'd2', commitSha: SHA_2, version: SHA_2 }),
    deployment({ id: 'd1' }),
    deployment({
      id: 's1',
      source: 'sample',
      commitSha: null,
      version: '1.4.1',
    }),
  ];

  it('shows status with its reason, the version linked to its commit, duration and who', async () => {
    await render(
      mockApi({ listDeployments: jest.fn().mockResolvedValue(history) }),
    );

    await screen.findByText('Deployment history');
    const [rolledBack, , , sample] = historyRows();
    expect(within(rolledBack).getByText('rolled-back')).toBeInTheDocument();
    expect(
      rolledBack.querySelector('[data-status="rolled-back"]'),
    ).toHaveAttribute('title', 'canary: /actuator/health answered 503');
    expect(
      within(rolledBack).getByRole('link', { name: /^c3c3c3c\b/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/orders-service/commit/c3c3c3c3c3c3',
    );
    expect(rolledBack).toHaveTextContent('1m 30s');
    expect(
      within(rolledBack).getByRole('link', { name: 'bob' }),
    ).toHaveAttribute('href', '/catalog/default/user/bob');
    expect(sample).toHaveTextContent('1.4.1');
  });

  it('opens the progress and log of a deployment when its row is clicked', async () => {
    const run = scriptedRun(
      deploymentDetails({
        id: 'd3',
        status: 'rolled-back',
        commitSha: 'c3c3c3c3c3c3',
        version: 'c3c3c3c3c3c3',
        startedAt: '2026-01-11T10:00:00.000Z',
        finishedAt: '2026-01-11T10:01:30.000Z',
        reason: 'canary: /actuator/health answered 503',
        stages: [stage('build', 'succeeded', 0, 60)],
      }),
    );
    run.advance({}, 'Canary unhealthy');
    const api = mockApi({
      listDeployments: jest.fn().mockResolvedValue(history),
      ...run,
    });
    await render(api);

    await screen.findByText('Deployment history');
    await userEvent.click(historyRows()[0]);

    expect(await screen.findByTestId('deployment-outcome')).toHaveTextContent(
      'Rolled back after 1m 30s: canary: /actuator/health answered 503',
    );
    expect(run.getDeployment).toHaveBeenCalledWith('d3');
    expect(await screen.findByRole('log')).toHaveTextContent(
      'Canary unhealthy',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Close deployment' }),
    );
    expect(screen.queryByRole('log')).toBeNull();
  });

  it('rolls production back to the previous successful version after a confirmation', async () => {
    const rollback = deploymentDetails({
      id: 'run-9',
      kind: 'rollback',
      commitSha: SHA_1,
      version: SHA_1,
      ref: SHA_1,
    });
    const run = scriptedRun(rollback);
    const api = mockApi({
      listDeployments: jest.fn().mockResolvedValue(history),
      rollback: jest.fn().mockResolvedValue(rollback),
      ...run,
    });
    await render(api);

    const button = await screen.findByRole('button', { name: 'Rollback' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog', {
      name: `Roll production back to ${SHA_1.slice(0, 7)}?`,
    });
    expect(dialog).toHaveTextContent(
      `${SHA_2.slice(0, 7)}, which serves production now`,
    );
    expect(api.rollback).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );

    expect(api.rollback).toHaveBeenCalledWith(ordersRef, {
      environment: 'production',
    });
    expect(
      await screen.findByText(`Rollback of production to ${SHA_1.slice(0, 7)}`),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows a refused rollback in its dialog', async () => {
    const api = mockApi({
      listDeployments: jest.fn().mockResolvedValue(history),
      rollback: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            'component:default/orders-service is deactivated',
          ),
        ),
    });
    await render(api);

    const button = await screen.findByRole('button', { name: 'Rollback' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'component:default/orders-service is deactivated',
    );
  });

  it('disables Rollback when there is no earlier successful version', async () => {
    await render(
      mockApi({
        listDeployments: jest
          .fn()
          .mockResolvedValue([
            deployment({ id: 'd2' }),
            deployment({ id: 'd1', status: 'failed', commitSha: SHA_2 }),
            deployment({ id: 's1', source: 'sample', commitSha: null }),
          ]),
      }),
    );

    const { reason, button } = await findDisabledReason('Rollback');
    expect(reason).toBe(
      'No earlier successful version in production to roll back to',
    );
    expect(button).toBeDisabled();
  });

  it('follows a deployment that is running when the tab opens, and cancels it', async () => {
    const running = deploymentDetails({
      id: 'run-5',
      status: 'in-progress',
      stages: [stage('build', 'running', 0)],
    });
    const run = scriptedRun(running);
    const api = mockApi({
      listDeployments: jest
        .fn()
        .mockResolvedValue([
          deployment({ id: 'run-5', status: 'in-progress', finishedAt: null }),
          ...history,
        ]),
      cancelDeployment: jest.fn(async () => {
        const asked = {
          cancelRequestedBy: 'user:default/alice',
          cancelRequestedAt: '2026-01-12T09:00:10.000Z',
        };
        run.advance(asked);
        return { ...running, ...asked };
      }),
      ...run,
    });
    await render(api);

    expect(
      await screen.findByRole('table', { name: 'Deployment stages' }),
    ).toBeInTheDocument();
    const rollback = await findDisabledReason('Rollback');
    expect(rollback.reason).toBe(
      'A deployment to production is running: wait for it or cancel it',
    );

    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);

    expect(api.cancelDeployment).toHaveBeenCalledWith('run-5');
    const pending = await findDisabledReason('Cancel');
    expect(pending.reason).toBe('Cancelling…');
    expect(screen.getByText(/cancel asked by/)).toHaveTextContent('alice');

    run.advance(
      {
        status: 'failed',
        finishedAt: '2026-01-12T09:00:12.000Z',
        reason: 'cancelled by user:default/alice: build aborted',
        stages: [{ ...stage('build', 'failed', 0, 12), error: 'aborted' }],
      },
      'Build aborted',
    );
    expect(await screen.findByTestId('deployment-outcome')).toHaveTextContent(
      'Failed after 12s: cancelled by user:default/alice: build aborted',
    );
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('does not follow a sample row that claims to run', async () => {
    await render(
      mockApi({
        listDeployments: jest.fn().mockResolvedValue([
          deployment({
            id: 's2',
            source: 'sample',
            status: 'in-progress',
            finishedAt: null,
          }),
        ]),
      }),
    );

    await screen.findByText('Deployment history');
    expect(
      screen.queryByRole('table', { name: 'Deployment stages' }),
    ).toBeNull();
  });
});
