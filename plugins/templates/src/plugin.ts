import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { templatesApiRef } from './api/TemplatesApi';
import { TemplatesClient } from './api/TemplatesClient';
import { templateHealthRouteRef } from './routes';

/**
 * The templates plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const templatesPlugin = createPlugin({
  id: 'templates',
  apis: [
    createApiFactory({
      api: templatesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TemplatesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { templateHealth: templateHealthRouteRef },
});

/**
 * The template health page; mount it with
 * `<Route path="/template-health" element={<TemplateHealthPage />} />`.
 *
 * @public
 */
export const TemplateHealthPage = templatesPlugin.provide(
  createRoutableExtension({
    name: 'TemplateHealthPage',
    component: () =>
      import('./components/TemplateHealthPage').then(m => m.TemplateHealthPage),
    mountPoint: templateHealthRouteRef,
  }),
);

/**
 * The template health card for entity overviews; place it under an
 * `EntitySwitch.Case if={isTemplateHealthAvailable}`.
 *
 * @public
 */
export const EntityTemplateHealthCard = templatesPlugin.provide(
  createComponentExtension({
    name: 'EntityTemplateHealthCard',
    component: {
      lazy: () =>
        import('./components/EntityTemplateHealthCard').then(
          m => m.EntityTemplateHealthCard,
        ),
    },
  }),
);

/**
 * The create page's template card with the health verdict; pass it as
 * `<ScaffolderPage components={{ TemplateCardComponent: TemplateCardWithHealth }} />`.
 *
 * @public
 */
export const TemplateCardWithHealth = templatesPlugin.provide(
  createComponentExtension({
    name: 'TemplateCardWithHealth',
    component: {
      lazy: () =>
        import('./components/TemplateCardWithHealth').then(
          m => m.TemplateCardWithHealth,
        ),
    },
  }),
);
