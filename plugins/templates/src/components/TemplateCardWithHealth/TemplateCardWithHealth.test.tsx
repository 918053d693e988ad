import type { TemplateCardComponentProps } from '@backstage/plugin-scaffolder-react/alpha';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KOTLIN, mockTemplatesApi } from '../../__testUtils__/fixtures';
import { renderWithApi, sendReport } from '../../__testUtils__/render';
import { TemplateCardWithHealth } from './TemplateCardWithHealth';

const template: TemplateCardComponentProps['template'] = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'kotlin-spring-service',
    namespace: 'default',
    title: 'Kotlin service',
    description: 'A Spring Boot service in Kotlin',
    tags: ['kotlin', 'spring'],
  },
  spec: { type: 'service', steps: [] },
};

describe('TemplateCardWithHealth', () => {
  it('shows the template with its verdict and chooses it', async () => {
    const api = mockTemplatesApi();
    const onSelected = jest.fn();
    await renderWithApi(
      <TemplateCardWithHealth template={template} onSelected={onSelected} />,
      { api },
    );

    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Kotlin service' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('A Spring Boot service in Kotlin'),
    ).toBeInTheDocument();
    expect(screen.getByText('kotlin')).toBeInTheDocument();
    expect(
      screen.getByText(/85% of 20 runs succeeded · 6 projects/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Choose' }));
    expect(onSelected).toHaveBeenCalledWith(template);
  });

  it('reports a problem with the latest version from the create page', async () => {
    const api = mockTemplatesApi();
    await renderWithApi(<TemplateCardWithHealth template={template} />, {
      api,
    });
    await screen.findByLabelText('Template health: degraded');
    await sendReport('Report a problem', 'Slow');
    expect(
      await screen.findByText(/your report was recorded/),
    ).toBeInTheDocument();
    expect(api.reportTemplateProblem).toHaveBeenCalledWith({
      templateRef: KOTLIN,
      version: '1.1.0',
      message: 'Slow',
    });
  });

  it('shows no badge for a template without figures, and asks the API once for many cards', async () => {
    const api = mockTemplatesApi();
    const other = {
      ...template,
      metadata: { ...template.metadata, name: 'new-one', title: 'New one' },
    };
    await renderWithApi(
      <>
        <TemplateCardWithHealth template={other} />
        <TemplateCardWithHealth template={template} />
      </>,
      { api },
    );
    expect(
      await screen.findByLabelText('Template health: degraded'),
    ).toBeInTheDocument();
    expect(screen.getAllByLabelText(/Template health:/)).toHaveLength(1);
    expect(api.listTemplateHealth).toHaveBeenCalledTimes(1);
  });
});
