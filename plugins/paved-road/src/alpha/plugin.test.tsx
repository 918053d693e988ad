import type { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { registerMswTestHooks } from '@backstage/test-utils';
import type { HygieneReport } from '@paved-road/plugin-paved-road-common';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { catalogModulePavedRoadColumns } from './catalogModule';
import { costCenterPickerFormField, entityAuditCard } from './extensions';
import { CostCenterPickerFormField } from './formFields';
import plugin from './plugin';

const REPORT: HygieneReport = {
  groups: [
    {
      businessUnit: 'group:default/payments',
      items: [
        {
          entityRef: 'component:default/legacy-billing',
          title: 'Legacy Billing',
          owner: 'group:default/checkout',
          costCenter: 'CC-2001',
          problems: [
            {
              code: 'cost-center-not-in-business-unit',
              message: 'metadata.annotations.paved-road.io/cost-center: wrong',
            },
          ],
          updatedAt: '2026-11-22T10:00:00.000Z',
          inCatalog: true,
          source: null,
        },
      ],
    },
  ],
};

function service(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout',
    },
  };
}

describe('paved-road plugin (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('provides the cost-center picker as a scaffolder form field', async () => {
    const requested: string[] = [];
    server.use(
      http.get('*/api/paved-road/hygiene', ({ request }) => {
        requested.push(new URL(request.url).pathname);
        return HttpResponse.json(REPORT);
      }),
    );

    // With the catalog, whose entity pages the list links to.
    renderTestApp({
      features: [catalogPlugin, plugin],
      initialRouteEntries: ['/paved-road/hygiene'],
      apis: [[catalogApiRef, catalogApiMock()]],
    });

    expect(
      await screen.findByRole('link', { name: 'Legacy Billing' }),
    ).toHaveAttribute('href', '/catalog/default/component/legacy-billing');
    // Page header and sidebar item.
    expect(
      screen.getByRole('heading', { name: 'Catalog hygiene' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByText(
        'Catalog hygiene',
      ),
    ).toBeInTheDocument();
    expect(requested).toEqual(['/api/paved-road/hygiene']);
  });

  it('provides the audit page, its sidebar item and the Recent activity card on Components', async () => {
    const requested: string[] = [];
    server.use(
      http.get('*/api/paved-road/audit', ({ request }) => {
        const url = new URL(request.url);
        requested.push(`${url.pathname}${url.search}`);
        return HttpResponse.json({
          items: [
            {
              id: 'e1',
              action: 'settings.changed',
              outcome: 'denied',
              actor: 'user:default/guest',
              occurredAt: '2026-11-22T10:00:00.000Z',
              entityRef: 'component:default/orders-service',
              owner: 'group:default/checkout',
              businessUnit: 'group:default/payments',
              costCenter: 'CC-1001',
              summary: 'replicas 2 → 3',
              details: {},
            },
          ],
          nextCursor: null,
        });
      }),
      http.get('*/api/paved-road/projects/:namespace/:kind/:name', () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no project' } },
          { status: 404 },
        ),
      ),
    );

    renderTestApp({
      features: [catalogPlugin, plugin],
      initialRouteEntries: ['/catalog/default/component/orders-service'],
      apis: [
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              service('orders-service', {
                'paved-road.io/cost-center': 'CC-1001',
              }),
            ],
          }),
        ],
      ],
    });

    // The card on the entity overview, linking to the filtered audit page.
    expect(await screen.findByText('Recent activity')).toBeInTheDocument();
    expect(await screen.findByText('replicas 2 → 3')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View all activity/ }),
    ).toHaveAttribute(
      'href',
      '/paved-road/audit?entityRef=component%3Adefault%2Forders-service',
    );
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByText(
        'Audit trail',
      ),
    ).toBeInTheDocument();
    expect(requested).toEqual([
      '/api/paved-road/audit?entityRef=component%3Adefault%2Forders-service&limit=10',
    ]);
  });

  it('shows the audit page at /paved-road/audit', async () => {
    const searches: string[] = [];
    server.use(
      http.get('*/api/paved-road/audit', ({ request }) => {
        searches.push(new URL(request.url).search);
        return HttpResponse.json({ items: [], nextCursor: null });
      }),
    );
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/paved-road/audit?outcome=denied'],
    });
    expect(await screen.findByText('No audit events')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Audit trail' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Export CSV/ }),
    ).toBeInTheDocument();
    expect(searches).toEqual(['?outcome=denied&limit=50']);
  });

  it('shows the Recent activity card on Components only', () => {
    const tester = createExtensionTester(entityAuditCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    if (!filter) throw new Error('the card has no entity filter');
    expect(filter(service('orders-service', {}))).toBe(true);
    expect(
      filter({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'checkout' },
        spec: { type: 'team', children: [] },
      }),
    ).toBe(false);
  });

  it('provides the CostCenterPicker to the scaffolder form', async () => {
    const tester = createExtensionTester(costCenterPickerFormField);
    const loader = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    expect(await loader()).toBe(CostCenterPickerFormField);
    expect(costCenterPickerFormField).toMatchObject({
      kind: 'scaffolder-form-field',
      name: 'cost-center-picker',
    });
  });

  it('adds business-unit and cost-center columns and filters to the catalog page', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        service('orders-service', {
          'paved-road.io/business-unit': 'group:default/payments',
          'paved-road.io/cost-center': 'CC-1001',
        }),
        service('fleet-tracker', {
          'paved-road.io/business-unit': 'group:default/logistics',
          'paved-road.io/cost-center': 'CC-2001',
        }),
      ],
    });
    renderTestApp({
      features: [catalogPlugin, catalogModulePavedRoadColumns, plugin],
      initialRouteEntries: [
        '/catalog?filters[kind]=component&filters[user]=all',
      ],
      apis: [[catalogApiRef, catalogApi]],
    });

    expect(
      await screen.findByRole('columnheader', { name: /Business unit/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: /Cost center/ }),
    ).toBeInTheDocument();
    const row = (await screen.findByText('CC-2001')).closest('tr')!;
    expect(
      within(row).getByRole('link', { name: 'logistics' }),
    ).toHaveAttribute('href', '/catalog/default/group/logistics');
    // The filters, next to the catalog's own.
    // Each filter is its own extension and appears on its own schedule.
    for (const id of ['businessUnit', 'costCenter', 'lifecycles']) {
      expect(
        await screen.findByTestId(`${id}-picker-expand`),
      ).toBeInTheDocument();
    }
  });

  it('leaves the catalog columns alone without the catalog module', async () => {
    renderTestApp({
      features: [catalogPlugin, plugin],
      initialRouteEntries: [
        '/catalog?filters[kind]=component&filters[user]=all',
      ],
      apis: [
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              service('orders-service', {
                'paved-road.io/cost-center': 'CC-1001',
              }),
            ],
          }),
        ],
      ],
    });
    expect(
      await screen.findByRole('columnheader', { name: /Owner/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('columnheader', { name: /Cost center/ }),
    ).not.toBeInTheDocument();
  });
});
