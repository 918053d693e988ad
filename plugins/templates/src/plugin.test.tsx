import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { templatesApiRef } from './api/TemplatesApi';
import {
  EntityTemplateHealthCard,
  isTemplateHealthAvailable,
  TemplateCardWithHealth,
  TemplateHealthPage,
  templatesPlugin,
} from './index';
import { mockTemplatesApi, ordersProject } from './__testUtils__/fixtures';
import { renderWithApi } from './__testUtils__/render';

const project = ordersProject;

describe('templatesPlugin (legacy frontend system)', () => {
  it('provides the templates api', () => {
    expect(templatesPlugin.getId()).toBe('templates');
    expect([...templatesPlugin.getApis()].map(f => f.api)).toContain(
      templatesApiRef,
    );
  });

  it('renders the exported template health page', async () => {
    await renderWithApi(
      <Routes>
        <Route path="/*" element={<TemplateHealthPage />} />
      </Routes>,
      { api: mockTemplatesApi() },
    );
    expect(await screen.findByText('Kotlin service')).toBeInTheDocument();
  });

  it('renders the exported entity card for projects made from a template', async () => {
    expect(isTemplateHealthAvailable(project)).toBe(true);
    expect(
      isTemplateHealthAvailable({ ...project, metadata: { name: 'handmade' } }),
    ).toBe(false);
    await renderWithApi(<EntityTemplateHealthCard />, {
      api: mockTemplatesApi(),
      entity: project,
    });
    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
  });

  it('renders the exported create-page card', async () => {
    await renderWithApi(
      <TemplateCardWithHealth
        template={{
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { name: 'docs-site', title: 'Docs site' },
          spec: { type: 'website', steps: [] },
        }}
      />,
      { api: mockTemplatesApi() },
    );
    expect(
      await screen.findByLabelText('Template health: failing'),
    ).toBeInTheDocument();
  });
});
