import { stringifyEntityRef } from '@backstage/catalog-model';
import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { TemplateCard } from '@backstage/plugin-scaffolder-react/alpha';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import type { ProjectUpgradeInfo } from '@paved-road/plugin-templates-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  KOTLIN,
  docsSummary,
  kotlinSummary,
  ordersProject,
} from '../__testUtils__/fixtures';
import { appModuleTemplateCardWithHealth } from './templateCardModule';
import plugin from './plugin';

const project = ordersProject;

describe('templates plugin (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => {
    server.use(
      http.get('*/api/templates/health', () =>
        HttpResponse.json({ items: [docsSummary, kotlinSummary] }),
      ),
      // The upgrade card on a project's overview.
      http.get('*/api/templates/projects/:namespace/:kind/:name/upgrade', () =>
        HttpResponse.json({
          entityRef: stringifyEntityRef(project),
          templateRef: KOTLIN,
          currentVersion: '1.0.0',
          latestVersion: '1.0.0',
          available: false,
          reason: 'up-to-date',
          changelog: [],
          newAnswers: {},
          missingAnswers: [],
        } satisfies ProjectUpgradeInfo),
      ),
    );
  });

  it('serves the template health page at /template-health from the templates backend', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/template-health'],
    });
    expect(await screen.findByText('Kotlin service')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Template health: failing'),
    ).toBeInTheDocument();
  });

  it("puts the template health and upgrade cards on a project's overview", async () => {
    renderTestApp({
      features: [plugin],
      extensions: [createTestEntityPage({ entity: project })],
    });
    expect(await screen.findByText('Template health')).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Template kotlin-spring-service · 1.0.0 · Up to date.',
      ),
    ).toBeInTheDocument();
  });

  it('leaves entities not made from a template without the card', async () => {
    renderTestApp({
      features: [plugin],
      extensions: [
        createTestEntityPage({
          entity: {
            ...project,
            metadata: { name: 'handmade', namespace: 'default' },
          },
        }),
      ],
    });
    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });

  it("swaps the scaffolder's template card for one with the verdict", async () => {
    const cards = PageBlueprint.make({
      name: 'cards',
      params: {
        path: '/cards',
        loader: async () => (
          <TemplateCard
            template={{
              apiVersion: 'scaffolder.backstage.io/v1beta3',
              kind: 'Template',
              metadata: {
                name: 'kotlin-spring-service',
                title: 'Kotlin service',
              },
              spec: { type: 'service', steps: [] },
            }}
          />
        ),
      },
    });
    renderTestApp({
      features: [plugin, appModuleTemplateCardWithHealth],
      extensions: [cards],
      initialRouteEntries: ['/cards'],
    });
    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Choose' })).toBeInTheDocument();
  });
});
