import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  BudgetReport,
  EntityCostReport,
} from '@paved-road/plugin-costs-common';
import { estimateOf } from '../../__testUtils__/fixtures';
import { costExplorerRouteRef } from '../../routes';
import { screen, within } from '@testing-library/react';
import { costsApiRef, type CostsApi } from '../../api/CostsApi';
import { EntityCostContent } from './EntityCostContent';
import { formatMoney } from '../../lib/format';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: {
      'paved-road.io/cost-center': 'CC-1001',
      'paved-road.io/business-unit': 'group:default/payments',
    },
  },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

// 30 days: a cost every day of November 2026 up to the 22nd
function report(overrides: Partial<EntityCostReport> = {}): EntityCostReport {
  const daily = Array.from({ length: 30 }, (_, i) => {
    const date = new Date(Date.UTC(2026, 9, 24 + i)).toISOString().slice(0, 10);
    return { date, amount: date >= '2026-11-01' ? 10 + i : 0 };
  });
  return {
    entityRef: 'component:default/orders-service',
    currency: 'EUR',
    from: daily[0].date,
    to: daily[29].date,
    daily,
    total: daily.reduce((acc, d) => acc + d.amount, 0),
    monthToDate: 456.78,
    lastIngestedAt: '2026-11-22T06:00:00.000Z',
    costCenter: 'CC-1001',
    forecast: 0,
    estimate: null,
    budget: null,
    ...overrides,
  };
}

async function renderContent(
  api: Partial<CostsApi>,
  options: { explorerMounted?: boolean } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[costsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityCostContent />
      </EntityProvider>
    </TestApiProvider>,
    options.explorerMounted
      ? { mountedRoutes: { '/costs': costExplorerRouteRef } }
      : undefined,
  );
}

const BUDGET: BudgetReport = {
  scope: 'cost-center',
  key: 'CC-1001',
  currency: 'EUR',
  month: '2026-11',
  monthToDate: 700,
  forecast: 950,
  budget: {
    scope: 'cost-center',
    key: 'CC-1001',
    amount: 900,
    currency: 'EUR',
    updatedBy: 'user:default/finance',
    updatedAt: '2026-11-01T08:00:00.000Z',
  },
  status: 'over',
};

const EXPLORER_LINK =
  '/costs?period=this-month&groupBy=service&drill=business-unit%3Agroup%3Adefault%2Fpayments&drill=cost-center%3ACC-1001&drill=team%3Agroup%3Adefault%2Fcheckout&highlight=component%3Adefault%2Forders-service';

describe('EntityCostContent', () => {
  it('shows the summary, a bar per day and the last days', async () => {
    const getEntityCosts = jest.fn().mockResolvedValue(report());
    await renderContent({ getEntityCosts });

    expect(getEntityCosts).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'orders-service',
    });

    // total: 22 days of 18..39 = 627
    const figure = (label: string) =>
      screen.getByRole('heading', { name: label }).nextElementSibling
        ?.textContent;
    expect(figure('Month to date')).toBe(formatMoney(456.78, 'EUR'));
    expect(figure('Last 30 days')).toBe(formatMoney(627, 'EUR'));
    expect(figure('Average per day')).toBe(formatMoney(20.9, 'EUR'));
    expect(figure('Currency')).toBe('EUR');
    expect(figure('Last ingested')).toMatch(/2026/);

    // one bar per day with a cost: the 22 days of November
    expect(
      document.querySelectorAll('.recharts-bar-rectangle path'),
    ).toHaveLength(22);

    const table = screen.getByRole('table', {
      name: 'Cost of the last 7 days',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(7);
    // newest first: Nov 22 cost 10 + 29
    expect(
      within(rows[0]).getByText(formatMoney(39, 'EUR')),
    ).toBeInTheDocument();
    expect(rows[0].querySelector('time')?.getAttribute('dateTime')).toBe(
      '2026-11-22',
    );
  });

  it('shows an empty state when nothing is allocated to the entity', async () => {
    const empty = report({
      daily: report().daily.map(d => ({ ...d, amount: 0 })),
      total: 0,
      monthToDate: 0,
    });
    await renderContent({ getEntityCosts: jest.fn().mockResolvedValue(empty) });

    expect(await screen.findByText('No cost data')).toBeInTheDocument();
    expect(
      screen.getByText(
        /paved-road\.io\/service=component:default\/orders-service/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says so when nothing was ever ingested', async () => {
    const never = report({
      daily: [],
      total: 0,
      monthToDate: 0,
      lastIngestedAt: null,
    });
    await renderContent({ getEntityCosts: jest.fn().mockResolvedValue(never) });

    expect(
      await screen.findByText(/No billing export has been ingested yet/),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'You may not read the costs',
        },
        request: {
          method: 'GET',
          url: '/entities/default/component/orders-service/costs',
        },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'content-type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    await renderContent({ getEntityCosts: jest.fn().mockRejectedValue(error) });

    expect(
      await screen.findByText('You may not read the costs'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Month to date')).not.toBeInTheDocument();
  });

  it('shows actual cost next to the estimate, the forecast and the budget, and links into the explorer', async () => {
    const getEntityCosts = jest
      .fn()
      .mockResolvedValue(
        report({ estimate: estimateOf(2), forecast: 880, budget: BUDGET }),
      );
    await renderContent({ getEntityCosts }, { explorerMounted: true });

    await screen.findByText('Month to date');
    const figure = (label: string) =>
      screen.getByRole('heading', { name: label }).parentElement?.textContent;
    expect(figure('Estimate per month')).toContain(formatMoney(32.4, 'EUR'));
    expect(figure('Forecast for the month')).toContain(formatMoney(880, 'EUR'));
    expect(figure('Forecast for the month')).toContain('Above the estimate');
    expect(figure('Budget of CC-1001')).toContain('Over');
    expect(figure('Budget of CC-1001')).toContain(
      `${formatMoney(950, 'EUR')} forecast of ${formatMoney(900, 'EUR')}`,
    );
    expect(
      screen.getByRole('link', { name: 'Open in the Cost explorer' }),
    ).toHaveAttribute('href', EXPLORER_LINK);
  });

  it('shows the estimate, labelled as one, for a service without a bill yet', async () => {
    const never = report({
      daily: [],
      total: 0,
      monthToDate: 0,
      lastIngestedAt: null,
      estimate: estimateOf(2, ['eu-west-1', 'us-east-1']),
      forecast: 0,
      budget: { ...BUDGET, status: 'on-track' },
    });
    await renderContent(
      { getEntityCosts: jest.fn().mockResolvedValue(never) },
      { explorerMounted: true },
    );

    expect(
      await screen.findByText(
        /this tab shows the estimate of its deployment settings/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Estimate', { selector: 'span' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`${formatMoney(64.8, 'EUR')} per month`),
    ).toBeInTheDocument();
    const breakdown = screen.getByRole('table', { name: 'Estimate breakdown' });
    expect(within(breakdown).getAllByRole('row')).toHaveLength(4); // head, 2 regions, total
    expect(screen.getByText('On track')).toBeInTheDocument();
    // Not mistaken for actual cost: no month-to-date figure, no chart.
    expect(screen.queryByText('Month to date')).not.toBeInTheDocument();
    expect(screen.queryByText('No cost data')).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open in the Cost explorer' }),
    ).toHaveAttribute('href', EXPLORER_LINK);
  });

  it('links nowhere when the app has no explorer page', async () => {
    await renderContent({
      getEntityCosts: jest.fn().mockResolvedValue(report()),
    });
    await screen.findByText('Month to date');
    expect(
      screen.queryByRole('link', { name: 'Open in the Cost explorer' }),
    ).not.toBeInTheDocument();
  });
});
