import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { costsApiRef } from './api/CostsApi';
import { CostsClient } from './api/CostsClient';
import { rootRouteRef } from './routes';

/**
 * The costs plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const costsPlugin = createPlugin({
  id: 'costs',
  apis: [
    createApiFactory({
      api: costsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CostsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * Entity page tab with the entity's actual cost; place it under an
 * `EntitySwitch.Case if={isCostsAvailable}`.
 *
 * @public
 */
export const EntityCostContent = costsPlugin.provide(
  createRoutableExtension({
    name: 'EntityCostContent',
    component: () =>
      import('./components/EntityCostContent').then(m => m.EntityCostContent),
    mountPoint: rootRouteRef,
  }),
);
