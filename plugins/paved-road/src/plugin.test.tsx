import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  EntityAuditCard,
  PavedRoadAuditPage,
  pavedRoadApiRef,
  pavedRoadPlugin,
  type PavedRoadApi,
} from '.';
import { auditRouteRef, hygieneRouteRef } from './routes';

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

const api: PavedRoadApi = {
  getHygiene: jest.fn(),
  listAuditEvents: jest.fn(async () => ({
    items: [
      {
        id: 'e1',
        action: 'settings.changed' as const,
        outcome: 'denied' as const,
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
  })),
  exportAuditEvents: jest.fn(),
  getProject: jest.fn(async () => undefined),
};

const mountedRoutes = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
  '/paved-road/audit': auditRouteRef,
};

describe('pavedRoadPlugin (legacy frontend system)', () => {
  it('provides the api and the hygiene and audit routes', () => {
    expect(pavedRoadPlugin.getId()).toBe('paved-road');
    expect([...pavedRoadPlugin.getApis()].map(f => f.api)).toEqual([
      pavedRoadApiRef,
    ]);
    expect(pavedRoadPlugin.routes).toEqual({
      hygiene: hygieneRouteRef,
      audit: auditRouteRef,
    });
  });

  it('renders PavedRoadAuditPage with the filters of its URL', async () => {
    // Mounted as the README tells a legacy App.tsx to.
    await renderInTestApp(
      <TestApiProvider apis={[[pavedRoadApiRef, api]]}>
        <Routes>
          <Route path="/paved-road/audit" element={<PavedRoadAuditPage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/paved-road/audit?outcome=denied'],
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
    expect(await screen.findByText('replicas 2 → 3')).toBeInTheDocument();
    expect(api.listAuditEvents).toHaveBeenCalledWith(
      { outcome: 'denied' },
      { limit: 50 },
    );
  });

  it('renders EntityAuditCard linking to the audit page', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[pavedRoadApiRef, api]]}>
        <EntityProvider entity={ENTITY}>
          <EntityAuditCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes },
    );
    expect(await screen.findByText('Recent activity')).toBeInTheDocument();
    expect(screen.getByText('replicas 2 → 3')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View all activity/ }),
    ).toHaveAttribute(
      'href',
      '/paved-road/audit?entityRef=component%3Adefault%2Forders-service',
    );
  });
});
