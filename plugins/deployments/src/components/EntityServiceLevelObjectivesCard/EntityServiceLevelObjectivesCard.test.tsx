import type {
  ServiceLevelObjective,
  ServiceLevelObjectivesResponse,
} from '@paved-road/plugin-deployments-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  availabilitySlo,
  GOOD_QUERY,
  mockDeploymentsApi,
  noSlos,
  ordersEntity,
  ordersRef,
  slosFound,
  TOTAL_QUERY,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { EntityServiceLevelObjectivesCard } from './EntityServiceLevelObjectivesCard';

const monthly: ServiceLevelObjective = {
  ...availabilitySlo,
  name: 'orders-service-monthly',
  displayName: null,
  description: null,
  budgetingMethod: 'Timeslices',
  timeWindow: {
    duration: '1M',
    isRolling: false,
    calendar: { startTime: '2026-01-01 00:00:00', timeZone: 'UTC' },
  },
  indicator: {
    type: 'reference',
    name: 'orders-service-non-5xx',
    displayName: null,
    good: null,
    bad: null,
    total: null,
    threshold: null,
  },
  objectives: [
    {
      displayName: null,
      target: 0.999,
      op: null,
      value: null,
      errorBudget: { fraction: 0.001, seconds: null, duration: null },
    },
  ],
  document: 2,
};

function render(response: ServiceLevelObjectivesResponse | Error) {
  const api = mockDeploymentsApi({
    getServiceLevelObjectives:
      response instanceof Error
        ? jest.fn().mockRejectedValue(response)
        : jest.fn().mockResolvedValue(response),
  });
  return {
    api,
    rendered: renderForEntity(<EntityServiceLevelObjectivesCard />, {
      entity: ordersEntity,
      api,
    }),
  };
}

describe('EntityServiceLevelObjectivesCard', () => {
  it('lists each SLO with its objective, window, error budget and indicator queries', async () => {
    const { api } = render(slosFound([availabilitySlo]));

    const slo = await screen.findByRole('region', { name: 'Availability' });
    expect(api.getServiceLevelObjectives).toHaveBeenCalledWith(ordersRef);
    expect(screen.getByText('Service level objectives')).toBeInTheDocument();
    expect(slo).toHaveTextContent('Requests answered without a server error');
    expect(slo).toHaveTextContent('Window: rolling 28 days (Occurrences)');
    const [row] = within(
      within(slo).getByRole('table', { name: 'Availability objectives' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    ).toEqual([
      '99.5 % of requests succeed',
      '99.5 %',
      '0.5 % = 3 h 21 min 36 s per 28 days',
    ]);

    // The queries are folded away under the indicator's name.
    expect(within(slo).getByText(GOOD_QUERY)).not.toBeVisible();
    await userEvent.click(
      within(slo).getByText('Indicator: orders-service-non-5xx'),
    );
    expect(within(slo).getByText(GOOD_QUERY)).toBeVisible();
    expect(within(slo).getByText(TOTAL_QUERY)).toBeVisible();
    expect(within(slo).getByText('good (Prometheus)')).toBeInTheDocument();
  });

  it('gives a calendar window and a month budget as a share, and names a referenced SLI', async () => {
    render(slosFound([monthly]));

    const slo = await screen.findByRole('region', {
      name: 'orders-service-monthly',
    });
    expect(slo).toHaveTextContent(
      'Window: 1 month from 2026-01-01 00:00:00 (UTC) (Timeslices)',
    );
    expect(slo).toHaveTextContent('0.1 % of each month');
    expect(slo).toHaveTextContent(
      'Indicator: the SLI orders-service-non-5xx (defined in its own document)',
    );
  });

  it('shows the file’s problems next to the SLOs that are valid', async () => {
    render(
      slosFound(
        [availabilitySlo],
        [
          {
            document: 2,
            field: 'spec.objectives[0].target',
            message: 'must be between 0 and 1',
          },
        ],
      ),
    );

    expect(
      await screen.findByText(
        'document 2: spec.objectives[0].target: must be between 0 and 1',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/deploy\/slo.yaml has problems/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Availability' }),
    ).toBeInTheDocument();
  });

  it('tells a project without deploy/slo.yaml (template v1) how to get one', async () => {
    render(noSlos);

    expect(
      await screen.findByText(
        'No service level objectives yet: add deploy/slo.yaml (OpenSLO) — upgrading to template 2.0.0 adds one.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('shows the backend’s error', async () => {
    render(new Error('Not allowed: catalog.entity.read'));

    // The panel repeats the message in its details.
    expect(
      await screen.findAllByText(/Not allowed: catalog.entity.read/),
    ).not.toHaveLength(0);
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });
});
