import { screen } from '@testing-library/react';
import type { DoraMetrics } from '@paved-road/plugin-deployments-common';
import {
  emptyDora,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { DoraCard } from './DoraCard';

const measured: DoraMetrics = {
  ...emptyDora,
  deploymentFrequency: { successful: 4, perWeek: 0.9333 },
  leadTimeForChanges: {
    medianSeconds: 14400,
    meanSeconds: 15000,
    deployments: 3,
  },
  changeFailureRate: { failed: 1, total: 5, rate: 0.2 },
  timeToRestore: { medianSeconds: 43200, incidents: 1, restored: 1 },
};

async function renderCard(metrics: DoraMetrics) {
  const api = mockDeploymentsApi({
    getDoraMetrics: jest.fn().mockResolvedValue(metrics),
  });
  await renderForEntity(<DoraCard entityRef={ordersRef} />, {
    entity: ordersEntity,
    api,
  });
  return api;
}

function figure(label: string) {
  return screen.getByRole('group', { name: label });
}

describe('DoraCard', () => {
  it('shows the four figures of the last 30 days in plain words', async () => {
    const api = await renderCard(measured);

    await screen.findByRole('group', { name: 'Deployment frequency' });
    expect(api.getDoraMetrics).toHaveBeenCalledWith(ordersRef, {
      days: 30,
      environment: 'production',
    });
    expect(
      screen.getByText('DORA figures of production, last 30 days'),
    ).toBeInTheDocument();
    expect(figure('Deployment frequency')).toHaveTextContent('0.9 per week');
    expect(figure('Deployment frequency')).toHaveTextContent(
      '4 successful deployments in the last 30 days',
    );
    expect(figure('Lead time for changes')).toHaveTextContent('4h');
    expect(figure('Lead time for changes')).toHaveTextContent(
      'From commit to running in production (median over 3 deployments)',
    );
    expect(figure('Change failure rate')).toHaveTextContent('20%');
    expect(figure('Change failure rate')).toHaveTextContent(
      '1 of 5 deployments failed or were rolled back',
    );
    expect(figure('Time to restore')).toHaveTextContent('12h');
    expect(figure('Time to restore')).toHaveTextContent(
      '1 of 1 failure restored',
    );
  });

  it('says "no data" for what cannot be measured yet', async () => {
    await renderCard({
      ...emptyDora,
      changeFailureRate: { failed: 2, total: 2, rate: 1 },
      timeToRestore: { medianSeconds: null, incidents: 1, restored: 0 },
    });

    await screen.findByRole('group', { name: 'Deployment frequency' });
    expect(figure('Deployment frequency')).toHaveTextContent('No data');
    expect(figure('Deployment frequency')).toHaveTextContent(
      'No successful deployment in the last 30 days',
    );
    expect(figure('Lead time for changes')).toHaveTextContent('No data');
    expect(figure('Change failure rate')).toHaveTextContent('100%');
    expect(figure('Time to restore')).toHaveTextContent('Not restored yet');
    expect(figure('Time to restore')).toHaveTextContent(
      '1 failure in the last 30 days with no successful deployment after it yet',
    );
  });

  it('shows an empty state before the first deployment', async () => {
    await renderCard(emptyDora);

    expect(
      await screen.findByText(
        /No deployments to production in the last 30 days/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('group')).toBeNull();
  });
});
