import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockTemplatesApi } from '../../__testUtils__/fixtures';
import { renderWithApi, sendReport } from '../../__testUtils__/render';
import { TemplateHealthPage } from './TemplateHealthPage';

describe('TemplateHealthPage', () => {
  it("lists each template's verdict with its figures", async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<TemplateHealthPage />, { api });

    const kotlin = (await screen.findByText('Kotlin service')).closest('tr')!;
    expect(
      within(kotlin).getByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(kotlin).toHaveTextContent('1.1.0');
    expect(kotlin).toHaveTextContent('85%');
    expect(kotlin).toHaveTextContent('42 s');
    expect(kotlin).toHaveTextContent('1 min 35 s');
    expect(kotlin).toHaveTextContent('3 of 4 deployed');
    expect(kotlin).toHaveTextContent('below 90%');

    const docs = screen.getByText('Docs site').closest('tr')!;
    expect(
      within(docs).getByLabelText('Template health: failing'),
    ).toBeInTheDocument();
    expect(docs).toHaveTextContent('render: failed');
  });

  it('shows versions, failing steps, checks and reports of the template clicked', async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<TemplateHealthPage />, { api });

    await userEvent.click(await screen.findByText('Kotlin service'));

    expect(
      await screen.findByText('mvn verify fails on a fresh project'),
    ).toBeInTheDocument();
    expect(api.getTemplateHealth).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'kotlin-spring-service',
    });
    expect(screen.getByText('Versions')).toBeInTheDocument();
    expect(screen.getByText('fetchSkeleton')).toBeInTheDocument();
    expect(
      screen.getByText('https://ci.example.com/runs/42'),
    ).toBeInTheDocument();
  });

  it('opens the template named in the address and reports a problem from it', async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<TemplateHealthPage />, {
      api,
      routeEntries: ['/?template=default/kotlin-spring-service'],
    });

    await sendReport('Report a problem with this template', 'Stale');

    expect(
      await screen.findByText(/your report was recorded/),
    ).toBeInTheDocument();
    expect(api.reportTemplateProblem).toHaveBeenCalledWith({
      templateRef: 'template:default/kotlin-spring-service',
      version: '1.1.0',
      message: 'Stale',
    });
  });

  it('says so when the backend cannot be read', async () => {
    const api = mockTemplatesApi({
      listTemplateHealth: jest
        .fn()
        .mockRejectedValue(new Error('503 Service Unavailable')),
    });
    await renderWithApi(<TemplateHealthPage />, { api });
    expect(
      await screen.findByText(
        /Could not load template health: 503 Service Unavailable/,
      ),
    ).toBeInTheDocument();
  });
});
