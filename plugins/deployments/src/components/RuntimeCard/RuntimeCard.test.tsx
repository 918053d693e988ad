import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  emptyRuntime,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  SHA_1,
  SHA_2,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { responseError } from '../../__testUtils__/responseError';
import { formatDateTime } from '../../lib/format';
import { RuntimeCard } from './RuntimeCard';

const running = {
  ...emptyRuntime,
  url: 'http://localhost:18080',
  desiredReplicas: 4,
  note: '2 of 4 replicas run locally (deployments.local.maxInstances is 2)',
  instances: [
    {
      id: 'i-1',
      version: SHA_2,
      url: 'http://localhost:18101',
      healthy: true,
      startedAt: '2026-01-12T09:00:40.000Z',
      restarts: 0,
    },
    {
      id: 'i-2',
      version: SHA_1,
      url: 'http://localhost:18102/',
      healthy: false,
      startedAt: '2026-01-10T10:05:00.000Z',
      restarts: 3,
    },
  ],
};

async function renderCard(api = mockDeploymentsApi()) {
  await renderForEntity(<RuntimeCard entityRef={ordersRef} />, {
    entity: ordersEntity,
    api,
  });
  return api;
}

describe('RuntimeCard', () => {
  it('shows the stable URL, each instance and the provider note', async () => {
    const api = await renderCard(
      mockDeploymentsApi({ getRuntime: jest.fn().mockResolvedValue(running) }),
    );

    const table = await screen.findByRole('table', { name: 'Instances' });
    expect(api.getRuntime).toHaveBeenCalledWith(ordersRef, {
      environment: 'production',
    });
    expect(screen.getByTestId('stable-url')).toHaveAttribute(
      'href',
      'http://localhost:18080',
    );
    expect(
      screen.getByText(
        '2 of 4 replicas run locally (deployments.local.maxInstances is 2)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('production, run by the local provider'),
    ).toBeInTheDocument();

    const [, first, second] = within(table).getAllByRole('row');
    expect(first).toHaveTextContent('i-1');
    expect(first).toHaveTextContent(SHA_2.slice(0, 7));
    expect(within(first).getByText('healthy')).toBeInTheDocument();
    expect(first).toHaveTextContent(formatDateTime('2026-01-12T09:00:40.000Z'));
    expect(
      within(first).getByRole('link', { name: /^Health of i-1\b/ }),
    ).toHaveAttribute('href', 'http://localhost:18101/actuator/health');
    expect(
      within(first).getByRole('link', { name: /^Metrics of i-1\b/ }),
    ).toHaveAttribute('href', 'http://localhost:18101/actuator/prometheus');

    expect(within(second).getByText('unhealthy')).toBeInTheDocument();
    expect(second).toHaveTextContent('3');
    expect(
      within(second).getByRole('link', { name: /^Health of i-2\b/ }),
    ).toHaveAttribute('href', 'http://localhost:18102/actuator/health');
  });

  it('says so when nothing runs', async () => {
    await renderCard();

    expect(
      await screen.findByText(
        'Nothing runs in production. Deploy the service to start it.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByTestId('stable-url')).toBeNull();
  });

  it('reloads on Refresh', async () => {
    const api = await renderCard(
      mockDeploymentsApi({
        getRuntime: jest
          .fn()
          .mockResolvedValueOnce(emptyRuntime)
          .mockResolvedValue(running),
      }),
    );
    await screen.findByText(/Nothing runs/);

    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh runtime' }),
    );

    expect(
      await screen.findByRole('table', { name: 'Instances' }),
    ).toBeInTheDocument();
    expect(api.getRuntime).toHaveBeenCalledTimes(2);
  });

  it('shows why the runtime could not be read', async () => {
    await renderCard(
      mockDeploymentsApi({
        getRuntime: jest
          .fn()
          .mockRejectedValue(
            await responseError(
              503,
              'ServiceUnavailableError',
              'No deployment provider is configured',
            ),
          ),
      }),
    );

    expect(
      await screen.findByText(
        'The runtime could not be read: No deployment provider is configured',
      ),
    ).toBeInTheDocument();
  });
});
