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
import { templateUpgradesApiRef } from './api/TemplateUpgradesApi';
import { TemplateUpgradesClient } from './api/TemplateUpgradesClient';
import { templateFleetRouteRef } from './components/TemplateFleetPage/routes';
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
    createApiFactory({
      api: templateUpgradesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TemplateUpgradesClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    templateHealth: templateHealthRouteRef,
    templateFleet: templateFleetRouteRef,
  },
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

/**
 * The template upgrade card for entity overviews: the template version, the
 * newer one with its changelog, and **Upgrade**. Place it under an
 * `EntitySwitch.Case if={isTemplateUpgradeAvailable}`.
 *
 * @public
 */
export const EntityTemplateUpgradeCard = templatesPlugin.provide(
  createComponentExtension({
    name: 'EntityTemplateUpgradeCard',
    component: {
      lazy: () =>
        import('./components/TemplateUpgradeCard').then(
          m => m.TemplateUpgradeCard,
        ),
    },
  }),
);

/**
 * The template fleet page; mount it with
 * `<Route path="/template-fleet" element={<TemplateFleetPage />} />`.
 *
 * @public
 */
export const TemplateFleetPage = templatesPlugin.provide(
  createRoutableExtension({
    name: 'TemplateFleetPage',
    component: () =>
      import('./components/TemplateFleetPage').then(m => m.TemplateFleetPage),
    mountPoint: templateFleetRouteRef,
  }),
);
