import type { Entity } from '@backstage/catalog-model';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { deploymentsApiRef } from './api/DeploymentsApi';
import {
  deploymentsPlugin,
  EntityDeploymentsContent,
  EntityPavedRoadProjectCard,
  EntityServiceLevelObjectivesCard,
} from './index';
import {
  availabilitySlo,
  mockDeploymentsApi,
  ordersEntity,
  settingsVersion,
  slosFound,
} from './__testUtils__/fixtures';
import { renderForEntity } from './__testUtils__/renderForEntity';

const project: Entity = {
  ...ordersEntity,
  metadata: {
    ...ordersEntity.metadata,
    annotations: { 'paved-road.io/deployment': 'deploy/paved-road.yaml' },
  },
};

describe('deploymentsPlugin (legacy frontend system)', () => {
  it('provides the deployments api', () => {
    expect(deploymentsPlugin.getId()).toBe('deployments');
    expect([...deploymentsPlugin.getApis()].map(f => f.api)).toEqual([
      deploymentsApiRef,
    ]);
  });

  it('renders the exported Deployments tab with Edit, Deploy, the runtime and the figures', async () => {
    const api = mockDeploymentsApi({
      getLatestSettings: jest.fn().mockResolvedValue(settingsVersion(1)),
    });
    // A routable extension needs a path, as EntityLayout.Route gives it.
    await renderForEntity(
      <Routes>
        <Route path="/*" element={<EntityDeploymentsContent />} />
      </Routes>,
      { entity: project, api },
    );

    expect(
      await screen.findByRole('table', { name: 'Deployment settings' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /edit/i })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeInTheDocument();
    expect(
      await screen.findByText(/Nothing runs in production/),
    ).toBeInTheDocument();
    expect(screen.getByText('Delivery performance')).toBeInTheDocument();
    expect(api.getRuntime).toHaveBeenCalled();
    expect(api.getDoraMetrics).toHaveBeenCalled();
    // The SLOs next to the settings: none in a template v1 project.
    expect(
      await screen.findByText(/No service level objectives yet/),
    ).toBeInTheDocument();
  });

  it('renders the exported project card', async () => {
    const api = mockDeploymentsApi({
      getLatestSettings: jest.fn().mockResolvedValue(settingsVersion(1)),
    });
    await renderForEntity(<EntityPavedRoadProjectCard />, {
      entity: project,
      api,
    });

    expect(
      await screen.findByRole('table', { name: 'Paved Road project' }),
    ).toHaveTextContent('2 × 500m CPU / 512 MiB, eu-west-1, canary 10%');
    expect(
      screen.getByRole('button', { name: 'Change settings' }),
    ).toBeInTheDocument();
  });

  it('renders the exported service level objectives card', async () => {
    const api = mockDeploymentsApi({
      getServiceLevelObjectives: jest
        .fn()
        .mockResolvedValue(slosFound([availabilitySlo])),
    });
    await renderForEntity(<EntityServiceLevelObjectivesCard />, {
      entity: project,
      api,
    });

    expect(
      await screen.findByRole('table', { name: 'Availability objectives' }),
    ).toHaveTextContent('0.5 % = 3 h 21 min 36 s per 28 days');
  });
});
