import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import {
  KOTLIN,
  mockTemplatesApi,
  ordersProject,
} from '../../__testUtils__/fixtures';
import { renderWithApi, sendReport } from '../../__testUtils__/render';
import { EntityTemplateHealthCard } from './EntityTemplateHealthCard';

describe('EntityTemplateHealthCard', () => {
  it("shows a project's template verdict and reports a problem with the project's version", async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<EntityTemplateHealthCard />, {
      api,
      entity: ordersProject,
    });

    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`Made from ${KOTLIN} · version 1.0.0`),
    ).toBeInTheDocument();
    expect(screen.getByText(/20 tasks, 85% succeeded/)).toBeInTheDocument();

    await sendReport('Report a problem with this template', 'No pom');

    expect(
      await screen.findByText(/your report was recorded/),
    ).toBeInTheDocument();
    expect(api.reportTemplateProblem).toHaveBeenCalledWith({
      templateRef: KOTLIN,
      version: '1.0.0',
      entityRef: 'component:default/orders',
      message: 'No pom',
    });
  });

  it("keeps the dialog open with the backend's message when the report is refused", async () => {
    const api = mockTemplatesApi({
      // As TemplatesClient throws a 400 from the backend.
      reportTemplateProblem: jest.fn().mockRejectedValue(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'InputError', message: 'message: Too big' },
              request: { method: 'POST', url: '/health/reports' },
              response: { statusCode: 400 },
            }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          ),
        ),
      ),
    });
    await renderWithApi(<EntityTemplateHealthCard />, {
      api,
      entity: ordersProject,
    });
    await sendReport('Report a problem with this template', 'x');
    expect(await screen.findByText(/message: Too big/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Send report' }),
    ).toBeInTheDocument();
  });

  it('shows the verdict on the template itself', async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<EntityTemplateHealthCard />, {
      api,
      entity: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'docs-site', namespace: 'default' },
        spec: {},
      },
    });
    expect(
      await screen.findByLabelText('Template health: failing'),
    ).toBeInTheDocument();
    expect(screen.getByText('template:default/docs-site')).toBeInTheDocument();
  });
});
