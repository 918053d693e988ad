import type { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import {
  EntityTemplateUpgradeCard,
  isTemplateUpgradeAvailable,
  TemplateFleetPage,
  templatesPlugin,
  templateUpgradesApiRef,
} from '../index';
import {
  availableInfo,
  mockUpgradesApi,
  ordersEntity,
  renderWithUpgrades,
} from '../components/TemplateUpgradeCard/__testUtils__/upgrades';
import { templateFleetRouteRef } from '../components/TemplateFleetPage/routes';
import plugin from './plugin';

const handmade: Entity = {
  ...ordersEntity,
  metadata: { name: 'handmade', namespace: 'default' },
};

const kotlinTemplate: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'kotlin-spring-service',
    namespace: 'default',
    title: 'Kotlin Spring Boot service',
  },
  spec: {},
};

const fleet = {
  templateRef: 'template:default/kotlin-spring-service',
  latestVersion: '1.1.0',
  versions: [{ version: '1.0.0', count: 1 }],
  projects: [
    {
      entityRef: 'component:default/orders-api',
      version: '1.0.0',
      available: true,
    },
  ],
};

describe('project upgrades (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      http.get('*/api/templates/health', () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(
        '*/api/templates/projects/default/component/orders-api/upgrade',
        () => HttpResponse.json(availableInfo()),
      ),
      http.get('*/api/templates/fleet/default/kotlin-spring-service', () =>
        HttpResponse.json(fleet),
      ),
    );
  });

  it("puts the upgrade card, from the templates backend, on a project's overview", async () => {
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: ordersEntity })],
    });

    expect(
      await screen.findByText(/Template kotlin-spring-service · 1\.0\.0/),
    ).toHaveTextContent(
      'Template kotlin-spring-service · 1.0.0 · 1.1.0 available',
    );
    expect(
      await screen.findByRole('button', { name: 'Upgrade to 1.1.0' }),
    ).toBeInTheDocument();
  });

  it('leaves entities without a template version without the card', async () => {
    expect(isTemplateUpgradeAvailable(ordersEntity)).toBe(true);
    expect(isTemplateUpgradeAvailable(handmade)).toBe(false);
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: handmade })],
    });
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it('serves the fleet page at /template-fleet', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/template-fleet'],
      apis: [[catalogApiRef, catalogApiMock({ entities: [kotlinTemplate] })]],
      // The catalog plugin mounts entity pages in an app; links need them.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      await screen.findByRole('table', { name: 'Projects' }),
    ).toHaveTextContent('orders-api');
    expect(
      screen.getByRole('button', { name: 'Upgrade selected (0)' }),
    ).toBeDisabled();
  });
});

describe('project upgrades (legacy exports)', () => {
  it('provides the upgrades api', () => {
    expect([...templatesPlugin.getApis()].map(f => f.api)).toContain(
      templateUpgradesApiRef,
    );
  });

  it('renders the exported upgrade card', async () => {
    await renderWithUpgrades(<EntityTemplateUpgradeCard />, {
      api: mockUpgradesApi(),
      entity: ordersEntity,
    });
    expect(
      await screen.findByRole('button', { name: 'Upgrade to 1.1.0' }),
    ).toBeInTheDocument();
  });

  it('renders the exported fleet page', async () => {
    await renderWithUpgrades(
      <Routes>
        <Route path="/*" element={<TemplateFleetPage />} />
      </Routes>,
      {
        api: mockUpgradesApi({
          getTemplateFleet: jest.fn().mockResolvedValue(fleet),
        }),
        catalogEntities: [kotlinTemplate],
        mountedRoutes: { '/template-fleet': templateFleetRouteRef },
      },
    );
    expect(
      await screen.findByRole('table', { name: 'Projects' }),
    ).toHaveTextContent('orders-api');
  });
});
