import type { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import plugin from './plugin';

function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/checkout' },
  };
}

const REPORT: EntityCostReport = {
  entityRef: 'component:default/orders-service',
  currency: 'EUR',
  from: '2026-11-21',
  to: '2026-11-22',
  daily: [
    { date: '2026-11-21', amount: 40 },
    { date: '2026-11-22', amount: 2 },
  ],
  total: 42,
  monthToDate: 420,
  lastIngestedAt: '2026-11-22T06:00:00.000Z',
  costCenter: 'CC-1001',
  forecast: 0,
  estimate: null,
  budget: null,
};

describe('costs plugin (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('adds a Cost tab to entities with a cost center, backed by the costs backend', async () => {
    const requested: string[] = [];
    server.use(
      http.get(
        '*/api/costs/entities/:namespace/:kind/:name/costs',
        ({ request }) => {
          requested.push(new URL(request.url).pathname);
          return HttpResponse.json(REPORT);
        },
      ),
    );

    renderTestApp({
      features: [plugin],
      extensions: [
        createTestEntityPage({
          entity: component({ 'paved-road.io/cost-center': 'CC-1001' }),
        }),
      ],
    });

    expect(await screen.findByText('Month to date')).toBeInTheDocument();
    expect(screen.getByText('Last 2 days')).toBeInTheDocument();
    expect(requested).toEqual([
      '/api/costs/entities/default/Component/orders-service/costs',
    ]);
  });

  it('leaves entities without a cost center alone', async () => {
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: component() })],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it('serves the Cost explorer at /costs, backed by the roll-ups API', async () => {
    const requested: string[] = [];
    server.use(
      http.get('*/api/costs/rollups', ({ request }) => {
        const url = new URL(request.url);
        requested.push(url.searchParams.get('groupBy') ?? '');
        return HttpResponse.json({
          currency: 'EUR',
          groupBy: 'business-unit',
          filter: null,
          from: '2026-11-01',
          to: '2026-11-22',
          previousFrom: '2026-10-10',
          previousTo: '2026-10-31',
          items: [
            {
              key: 'group:default/payments',
              entityRef: 'group:default/payments',
              title: 'Payments',
              total: 300,
              previousTotal: 200,
            },
          ],
          unallocated: { total: 0, previousTotal: 0 },
        });
      }),
      http.get('*/api/costs/rollups/daily', () =>
        HttpResponse.json({
          currency: 'EUR',
          from: '2026-11-01',
          to: '2026-11-22',
          days: [],
          series: [],
        }),
      ),
      http.get('*/api/costs/budgets', () => HttpResponse.json({ items: [] })),
      http.get('*/api/costs/ingestions', () =>
        HttpResponse.json({ items: [] }),
      ),
    );

    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/costs'],
      apis: [[catalogApiRef, catalogApiMock()]],
    });

    expect(
      await screen.findByRole('table', { name: 'Cost by business unit' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Open Payments/ })).toBeVisible();
    expect(await screen.findByText(/No cost center in view/)).toBeVisible();
    expect(requested).toEqual(['business-unit']);
  });
});
