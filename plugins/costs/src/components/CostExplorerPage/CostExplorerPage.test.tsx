import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import type {
  BudgetReport,
  RollupDailyResponse,
  RollupGroupBy,
  RollupResponse,
} from '@paved-road/plugin-costs-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { costsApiRef, type CostsApi } from '../../api/CostsApi';
import type { RollupDailyQuery, RollupQuery } from '../../api/types';
import { formatMoney } from '../../lib/format';
import { periodRange } from '../../lib/period';
import { CostExplorerPage } from './CostExplorerPage';

const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

function item(key: string, title: string, total: number, previous: number) {
  return {
    key,
    entityRef: key.includes(':') ? key : null,
    title,
    total,
    previousTotal: previous,
  };
}

// What the backend has at each level of the sample organisation.
const LEVELS: Record<RollupGroupBy, RollupResponse['items']> = {
  'business-unit': [
    item('group:default/retail', 'Retail', 100, 150),
    item('group:default/payments', 'Payments', 300, 200),
  ],
  'cost-center': [item('CC-1001', 'CC-1001', 250, 200)],
  team: [item('group:default/checkout', 'Checkout', 250, 180)],
  service: [
    item('component:default/orders-service', 'orders-service', 240, 170),
  ],
};

function rollups(query: RollupQuery): RollupResponse {
  return {
    currency: 'EUR',
    groupBy: query.groupBy,
    filter: query.filter ?? null,
    from: query.from,
    to: query.to,
    previousFrom: '2026-10-29',
    previousTo: '2026-10-31',
    items: LEVELS[query.groupBy],
    unallocated: { total: 12.5, previousTotal: 0 },
  };
}

// Each asked-for group's total on the first day; no "other"; unallocated.
function rollupDaily(query: RollupDailyQuery): RollupDailyResponse {
  const totals = new Map(LEVELS[query.groupBy].map(i => [i.key, i.total]));
  return {
    currency: 'EUR',
    from: query.from,
    to: query.to,
    days: DAYS,
    series: [
      ...query.keys.map(key => ({
        key,
        kind: 'group' as const,
        amounts: [totals.get(key) ?? 0, 0, 0],
      })),
      { key: 'unallocated', kind: 'unallocated', amounts: [0, 12.5, 0] },
    ],
  };
}

const BUDGETS: BudgetReport[] = [
  {
    scope: 'cost-center',
    key: 'CC-1001',
    currency: 'EUR',
    month: '2026-11',
    monthToDate: 250,
    forecast: 900,
    budget: {
      scope: 'cost-center',
      key: 'CC-1001',
      amount: 800,
      currency: 'EUR',
      updatedBy: 'user:default/finance',
      updatedAt: '2026-11-01T08:00:00.000Z',
    },
    status: 'over',
  },
];

const PAYMENTS: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'paved-road.io/cost-centers': 'CC-1001, CC-1002' },
  },
  spec: {
    type: 'business-unit',
    profile: { displayName: 'Payments' },
    children: [],
  },
};

function costsApi(overrides: Partial<CostsApi> = {}) {
  return {
    getRollups: jest.fn(async (q: RollupQuery) => rollups(q)),
    getRollupDaily: jest.fn(async (q: RollupDailyQuery) => rollupDaily(q)),
    listBudgets: jest.fn().mockResolvedValue(BUDGETS),
    setBudget: jest.fn().mockResolvedValue(BUDGETS[0].budget),
    getBudgetHistory: jest.fn().mockResolvedValue([]),
    getIngestions: jest.fn().mockResolvedValue({ items: [] }),
    ...overrides,
  };
}

async function renderPage(
  api: ReturnType<typeof costsApi>,
  options: {
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    url?: string;
  } = {},
) {
  const authorize = jest.fn(() => options.authorize ?? AuthorizeResult.ALLOW);
  await renderWithApis(
    <CostExplorerPage />,
    [
      [costsApiRef, api],
      [catalogApiRef, catalogApiMock({ entities: [PAYMENTS] })],
      [permissionApiRef, mockApis.permission({ authorize })],
    ],
    { routeEntries: [options.url ?? '/'] },
  );
  return { authorize };
}

function lastQuery(api: ReturnType<typeof costsApi>): RollupQuery {
  const calls = (api.getRollups as jest.Mock).mock.calls;
  return calls[calls.length - 1][0];
}

const money = (amount: number) => formatMoney(amount, 'EUR');

describe('CostExplorerPage', () => {
  it('shows this month by business unit, biggest first, with the unallocated line and the stacked chart', async () => {
    const api = costsApi();
    await renderPage(api);

    const table = await screen.findByRole('table', {
      name: 'Cost by business unit',
    });
    const range = periodRange('this-month', new Date())!;
    expect(api.getRollups).toHaveBeenCalledWith({
      groupBy: 'business-unit',
      from: range.from,
      to: range.to,
      filter: undefined,
    });
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.getAttribute('data-key'))).toEqual([
      null,
      'group:default/payments',
      'group:default/retail',
      'unallocated',
      null,
    ]);
    expect(rows[1]).toHaveTextContent(`Payments${money(300)}${money(200)}`);
    expect(rows[1]).toHaveTextContent('(+50%)');
    expect(rows[3]).toHaveTextContent(`Unallocated`);
    expect(rows[3]).toHaveTextContent(money(12.5));
    // Total of everything, unallocated included.
    expect(rows[4]).toHaveTextContent(`Total${money(412.5)}${money(350)}`);

    // A series per group, biggest first, and the unallocated cost.
    await waitFor(() =>
      expect(api.getRollupDaily).toHaveBeenCalledWith({
        groupBy: 'business-unit',
        from: range.from,
        to: range.to,
        filter: undefined,
        keys: ['group:default/payments', 'group:default/retail'],
      }),
    );
    await waitFor(() =>
      expect(document.querySelectorAll('.recharts-bar')).toHaveLength(3),
    );
    expect(
      [...document.querySelectorAll('.recharts-legend-item-text')].map(
        e => e.textContent,
      ),
    ).toEqual(['Payments', 'Retail', 'Unallocated']);
    expect(
      within(screen.getByRole('list', { name: 'Top movers' }))
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      expect.stringContaining('Payments'),
      expect.stringContaining('Retail'),
    ]);
  });

  it('drills from a business unit down to its services and back, keeping the state in the query', async () => {
    const api = costsApi();
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: /Open Payments/ }),
    );
    await screen.findByRole('table', { name: 'Cost by cost center' });
    expect(lastQuery(api)).toMatchObject({
      groupBy: 'cost-center',
      filter: 'business-unit:group:default/payments',
    });

    await userEvent.click(screen.getByRole('button', { name: /Open CC-1001/ }));
    await screen.findByRole('table', { name: 'Cost by team' });
    expect(lastQuery(api)).toMatchObject({
      groupBy: 'team',
      filter: 'cost-center:CC-1001',
    });

    await userEvent.click(
      screen.getByRole('button', { name: /Open Checkout/ }),
    );
    const services = await screen.findByRole('table', {
      name: 'Cost by service',
    });
    expect(lastQuery(api)).toMatchObject({
      groupBy: 'service',
      filter: 'team:group:default/checkout',
    });
    // A service is the end of the road: it links to its catalog page.
    expect(
      within(services).getByRole('link', { name: 'orders-service' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-service');

    const crumbs = screen.getByRole('navigation', { name: 'Drill-down' });
    expect(crumbs).toHaveTextContent('Everything/payments/CC-1001/checkout');
    // Tabs only offer what is finer than the team drilled into.
    expect(
      within(screen.getByRole('tablist', { name: 'Group by' }))
        .getAllByRole('tab')
        .map(t => t.textContent),
    ).toEqual(['Service']);

    await userEvent.click(
      within(crumbs).getByRole('button', { name: 'payments' }),
    );
    await screen.findByRole('table', { name: 'Cost by cost center' });
    expect(lastQuery(api)).toMatchObject({
      groupBy: 'cost-center',
      filter: 'business-unit:group:default/payments',
    });

    await userEvent.click(
      within(screen.getByRole('navigation', { name: 'Drill-down' })).getByRole(
        'button',
        { name: 'Everything' },
      ),
    );
    await screen.findByRole('table', { name: 'Cost by business unit' });
    expect(lastQuery(api).filter).toBeUndefined();
  });

  it('opens at the view its URL names', async () => {
    const api = costsApi();
    await renderPage(api, {
      url: '/?period=custom&from=2026-10-01&to=2026-10-31&groupBy=service&drill=cost-center:CC-1001&highlight=component:default/orders-service',
    });

    const table = await screen.findByRole('table', { name: 'Cost by service' });
    expect(api.getRollups).toHaveBeenCalledWith({
      groupBy: 'service',
      from: '2026-10-01',
      to: '2026-10-31',
      filter: 'cost-center:CC-1001',
    });
    expect(
      within(table).getByRole('row', { selected: true }),
    ).toHaveTextContent('orders-service');
  });

  it('asks for the period chosen', async () => {
    const api = costsApi();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Cost by business unit' });

    await userEvent.selectOptions(
      screen.getByLabelText('Period'),
      'last-90-days',
    );

    await waitFor(() =>
      expect(lastQuery(api)).toMatchObject(
        periodRange('last-90-days', new Date())!,
      ),
    );
  });

  it('exports what is on screen as CSV', async () => {
    const api = costsApi();
    const blobs: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:costs';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderPage(api, {
      url: '/?period=custom&from=2026-11-01&to=2026-11-03&groupBy=cost-center&drill=business-unit:group:default/payments',
    });
    await screen.findByRole('table', { name: 'Cost by cost center' });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));

    expect(blobs).toHaveLength(1);
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    const text = await blobs[0].text();
    expect(text.trim().split('\n')).toEqual([
      'group_by,filter,key,title,entity_ref,currency,from,to,total,previous_total,change',
      'cost-center,business-unit:group:default/payments,CC-1001,CC-1001,,EUR,2026-11-01,2026-11-03,250.00,200.00,50.00',
      'cost-center,business-unit:group:default/payments,,Unallocated,,EUR,2026-11-01,2026-11-03,12.50,0.00,12.50',
    ]);
  });

  it('shows totals when the daily series cannot be loaded', async () => {
    const api = costsApi({
      getRollupDaily: jest.fn().mockRejectedValue(new Error('timeout')),
    });
    await renderPage(api);

    expect(
      await screen.findByText(/the daily series could not be loaded/),
    ).toBeInTheDocument();
    expect(document.querySelectorAll('.recharts-bar')).toHaveLength(1);
  });

  it('shows budgets with their status; "Set budget" is disabled with the reason when the policy denies it', async () => {
    const api = costsApi();
    const { authorize } = await renderPage(api, {
      authorize: AuthorizeResult.DENY,
    });

    const budgets = await screen.findByRole('table', { name: 'Budgets' });
    const row = within(budgets).getAllByRole('row')[1];
    expect(row).toHaveTextContent('CC-1001');
    expect(row).toHaveTextContent(money(900));
    expect(within(row).getByText('Over')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(row).getByRole('button', { name: 'Set budget of CC-1001' }),
      ).toBeDisabled(),
    );
    expect(
      within(row).getByLabelText('You may not set budgets of payments'),
    ).toBeInTheDocument();
    // Asked about the business unit that owns the cost center.
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({ name: 'costs.budget.update' }),
        resourceRef: 'group:default/payments',
      }),
    );
  });

  it('sets a budget when allowed', async () => {
    const api = costsApi();
    await renderPage(api);

    const button = await screen.findByRole('button', {
      name: 'Set budget of CC-1001',
    });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog', {
      name: 'Set the monthly budget of CC-1001',
    });
    const amount = within(dialog).getByLabelText(/Amount per month/);
    expect(amount).toHaveValue(800);
    await userEvent.clear(amount);
    await userEvent.type(amount, '1000');
    await userEvent.type(within(dialog).getByLabelText('Why'), 'Black Friday');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Save budget' }),
    );

    await waitFor(() =>
      expect(api.setBudget).toHaveBeenCalledWith('cost-center', 'CC-1001', {
        amount: 1000,
        currency: 'EUR',
        message: 'Black Friday',
      }),
    );
    await waitFor(() => expect(api.listBudgets).toHaveBeenCalledTimes(2));
  });

  it('lists the rows each billing export rejected, with their lines', async () => {
    const api = costsApi({
      getIngestions: jest.fn().mockResolvedValue({
        items: [
          {
            sourceId: 'aws',
            file: 's3://billing/focus-2026-11.csv',
            ingestedAt: '2026-11-03T06:00:00.000Z',
            checkedAt: null,
            rowCount: 1200,
            rejectedCount: 2,
            rejected: [
              { line: 17, reason: "EffectiveCost 'abc' is not a number" },
              { line: 42, reason: 'ChargePeriodStart is out of range' },
            ],
            status: 'ingested',
          },
        ],
      }),
    });
    await renderPage(api);

    const table = await screen.findByRole('table', { name: 'Ingestions' });
    expect(table).toHaveTextContent(
      "Line 17: EffectiveCost 'abc' is not a number",
    );
    expect(table).toHaveTextContent(
      'Line 42: ChargePeriodStart is out of range',
    );
    expect(table).toHaveTextContent('s3://billing/focus-2026-11.csv');
  });
});
