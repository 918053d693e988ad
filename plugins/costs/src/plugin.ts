import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { costsApiRef } from './api/CostsApi';
import { CostsClient } from './api/CostsClient';
import {
  DeploymentCostEstimate,
  DeploymentCostEstimateFieldSchema,
} from './components/DeploymentCostEstimate';
import { costExplorerRouteRef, rootRouteRef } from './routes';

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
  routes: { root: rootRouteRef, explorer: costExplorerRouteRef },
});

/**
 * Entity page tab with the entity's actual cost, estimate, forecast and
 * budget; place it under an `EntitySwitch.Case if={isCostsAvailable}`.
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

/**
 * The Cost explorer; mount it with
 * `<Route path="/costs" element={<CostExplorerPage />} />` and add a
 * "Cost explorer" sidebar item pointing at it.
 *
 * @public
 */
export const CostExplorerPage = costsPlugin.provide(
  createRoutableExtension({
    name: 'CostExplorerPage',
    component: () =>
      import('./components/CostExplorerPage').then(m => m.CostExplorerPage),
    mountPoint: costExplorerRouteRef,
  }),
);

/**
 * The `DeploymentCostEstimate` field for `<ScaffolderFieldExtensions>`: the
 * live monthly estimate of the deployment settings entered on the form.
 *
 * @public
 */
export const DeploymentCostEstimateFieldExtension = costsPlugin.provide(
  createScaffolderFieldExtension({
    name: 'DeploymentCostEstimate',
    component: DeploymentCostEstimate,
    schema: DeploymentCostEstimateFieldSchema.schema,
  }),
);
