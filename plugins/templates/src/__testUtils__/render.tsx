import type { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { templatesApiRef, type TemplatesApi } from '../api/TemplatesApi';

/** Renders `element` with a templates API, on `entity`'s page when given. */
export async function renderWithApi(
  element: ReactNode,
  options: { api: TemplatesApi; entity?: Entity; routeEntries?: string[] },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[templatesApiRef, options.api]]}>
      {options.entity ? (
        <EntityProvider entity={options.entity}>{element}</EntityProvider>
      ) : (
        element
      )}
    </TestApiProvider>,
    { routeEntries: options.routeEntries },
  );
}

/** Opens the report dialog with `button`, types `message` and sends it. */
export async function sendReport(button: string, message: string) {
  await userEvent.click(await screen.findByRole('button', { name: button }));
  await userEvent.type(screen.getByLabelText('What went wrong?'), message);
  await userEvent.click(screen.getByRole('button', { name: 'Send report' }));
}
