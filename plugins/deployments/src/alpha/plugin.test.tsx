import type { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { registerMswTestHooks } from '@backstage/test-utils';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import plugin from './plugin';

function component(name: string, type: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type, owner: 'group:default/checkout' },
  };
}

describe('deployments plugin (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('adds a Deployments tab to services, backed by the deployments backend', async () => {
    const requested: string[] = [];
    server.use(
      http.get('*/api/deployments/entities/*', ({ request }) => {
        requested.push(new URL(request.url).pathname);
        return undefined;
      }),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/settings',
        () =>
          HttpResponse.json({
            entityRef: 'component:default/orders-service',
            version: 1,
            settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, cluster: 'eu-prod-1' },
            createdBy: 'user:default/alice',
            createdAt: '2026-01-05T12:00:00.000Z',
          }),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/deployments',
        () =>
          HttpResponse.json({
            items: [
              {
                id: 'd1',
                entityRef: 'component:default/orders-service',
                environment: 'production',
                version: '1.4.2',
                status: 'succeeded',
                strategy: 'canary',
                triggeredBy: 'user:default/alice',
                startedAt: '2026-01-10T10:00:00.000Z',
                finishedAt: '2026-01-10T10:07:00.000Z',
              },
            ],
          }),
      ),
    );

    renderTestApp({
      features: [plugin],
      extensions: [
        createTestEntityPage({
          entity: component('orders-service', 'service'),
        }),
      ],
    });

    expect(await screen.findByText('eu-prod-1')).toBeInTheDocument();
    expect(screen.getByText('1.4.2')).toBeInTheDocument();
    expect(requested.sort()).toEqual([
      '/api/deployments/entities/default/Component/orders-service/deployments',
      '/api/deployments/entities/default/Component/orders-service/settings',
    ]);
  });

  it('leaves other entities alone', async () => {
    renderTestApp({
      features: [plugin],
      extensions: [
        createTestEntityPage({ entity: component('geo-utils', 'library') }),
      ],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });
});
