import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { registerMswTestHooks } from '@backstage/test-utils';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  availabilitySlo,
  emptyDora,
  emptyRuntime,
  noSlos,
  productionEnvironment,
  slosFound,
} from '../__testUtils__/fixtures';
import plugin from './plugin';

function component(
  name: string,
  type: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type, owner: 'group:default/checkout' },
  };
}

const apis = [[permissionApiRef, mockApis.permission()]] as const;

/**
 * The backends' answers for a project they know nothing of yet: no creation
 * record, no deployments, no settings and no project state. Handlers given
 * before these (e.g. for `/slos`) win.
 */
function withoutHistory(name: string) {
  return [
    http.get(`*/api/paved-road/projects/default/Component/${name}`, () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'No record' } },
        { status: 404 },
      ),
    ),
    http.get(
      `*/api/deployments/entities/default/Component/${name}/deployments`,
      () => HttpResponse.json({ items: [] }),
    ),
    http.get(`*/api/deployments/entities/default/Component/${name}/*`, () =>
      HttpResponse.json(
        { error: { name: 'NotFoundError', message: 'None' } },
        { status: 404 },
      ),
    ),
  ];
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
            source: 'template',
            commitSha: 'a1b2c3d4',
            commitUrl: null,
            message: 'Initial commit',
          }),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/settings/versions',
        () => HttpResponse.json({ items: [] }),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/slos',
        () => HttpResponse.json(noSlos),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/project',
        () =>
          HttpResponse.json({
            entityRef: 'component:default/orders-service',
            repoUrl: null,
            deactivated: false,
            deactivatedBy: null,
            deactivatedAt: null,
            settingsError: null,
          }),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/runtime',
        () => HttpResponse.json(emptyRuntime),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/dora',
        () => HttpResponse.json(emptyDora),
      ),
      http.get(
        '*/api/deployments/entities/default/Component/orders-service/environments',
        () => HttpResponse.json({ items: [productionEnvironment] }),
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
      apis,
      extensions: [
        createTestEntityPage({
          entity: component('orders-service', 'service'),
        }),
      ],
    });

    expect(await screen.findByText('eu-prod-1')).toBeInTheDocument();
    expect(screen.getByText('1.4.2')).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Settings history' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeInTheDocument();
    expect(
      await screen.findByText(/Nothing runs in production/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        /No deployments to production in the last 30 days/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Environments' }),
    ).toHaveTextContent('2/2 healthy');
    expect(
      await screen.findByText(/No service level objectives yet/),
    ).toBeInTheDocument();
    expect([...new Set(requested)].sort()).toEqual([
      '/api/deployments/entities/default/Component/orders-service/deployments',
      '/api/deployments/entities/default/Component/orders-service/dora',
      '/api/deployments/entities/default/Component/orders-service/environments',
      '/api/deployments/entities/default/Component/orders-service/project',
      '/api/deployments/entities/default/Component/orders-service/runtime',
      '/api/deployments/entities/default/Component/orders-service/settings',
      '/api/deployments/entities/default/Component/orders-service/settings/versions',
      '/api/deployments/entities/default/Component/orders-service/slos',
    ]);
  });

  it('adds the project card to projects the paved road made', async () => {
    server.use(...withoutHistory('money-kt'));

    renderTestApp({
      features: [plugin],
      apis,
      extensions: [
        createTestEntityPage({
          entity: component('money-kt', 'library', {
            'backstage.io/source-template': 'template:default/kotlin-library',
            'paved-road.io/cost-center': 'CC-2002',
          }),
        }),
      ],
    });

    const card = await screen.findByRole('table', {
      name: 'Paved Road project',
    });
    expect(card).toHaveTextContent('CC-2002');
    expect(card).toHaveTextContent('kotlin-library');
    expect(card).toHaveTextContent('Never deployed');
  });

  it('adds the service level objectives card to services the paved road made', async () => {
    server.use(
      http.get(
        '*/api/deployments/entities/default/Component/orders-kt/slos',
        () => HttpResponse.json(slosFound([availabilitySlo])),
      ),
      ...withoutHistory('orders-kt'),
    );

    renderTestApp({
      features: [plugin],
      apis,
      extensions: [
        createTestEntityPage({
          entity: component('orders-kt', 'service', {
            'paved-road.io/deployment': 'deploy/paved-road.yaml',
          }),
        }),
      ],
    });

    expect(
      await screen.findByRole('table', { name: 'Availability objectives' }),
    ).toHaveTextContent('0.5 % = 3 h 21 min 36 s per 28 days');
    expect(
      screen.getByRole('table', { name: 'Paved Road project' }),
    ).toBeInTheDocument();
  });

  it('leaves other entities alone', async () => {
    renderTestApp({
      features: [plugin],
      apis,
      extensions: [
        createTestEntityPage({ entity: component('geo-utils', 'library') }),
      ],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });
});
