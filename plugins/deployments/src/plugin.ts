import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { deploymentsApiRef } from './api/DeploymentsApi';
import { DeploymentsClient } from './api/DeploymentsClient';
import { rootRouteRef } from './routes';

/**
 * The deployments plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const deploymentsPlugin = createPlugin({
  id: 'deployments',
  apis: [
    createApiFactory({
      api: deploymentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeploymentsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * Entity page tab with deployment settings and history; place it under an
 * `EntitySwitch.Case if={isDeploymentsAvailable}` on the service page.
 *
 * @public
 */
export const EntityDeploymentsContent = deploymentsPlugin.provide(
  createRoutableExtension({
    name: 'EntityDeploymentsContent',
    component: () =>
      import('./components/EntityDeploymentsContent').then(
        m => m.EntityDeploymentsContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Card with the service level objectives of a project (`deploy/slo.yaml`,
 * OpenSLO) and their error budgets; place it next to the deployment
 * settings, under an `EntitySwitch.Case if={isDeploymentsAvailable}`.
 *
 * @public
 */
export const EntityServiceLevelObjectivesCard = deploymentsPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceLevelObjectivesCard',
    component: {
      lazy: () =>
        import('./components/EntityServiceLevelObjectivesCard').then(
          m => m.EntityServiceLevelObjectivesCard,
        ),
    },
  }),
);

/**
 * Card for the entity overview of projects the paved road made; place it
 * under an `EntitySwitch.Case if={isPavedRoadProject}`.
 *
 * @public
 */
export const EntityPavedRoadProjectCard = deploymentsPlugin.provide(
  createComponentExtension({
    name: 'EntityPavedRoadProjectCard',
    component: {
      lazy: () =>
        import('./components/EntityPavedRoadProjectCard').then(
          m => m.EntityPavedRoadProjectCard,
        ),
    },
  }),
);
