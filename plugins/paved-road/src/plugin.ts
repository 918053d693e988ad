import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { pavedRoadApiRef } from './api/PavedRoadApi';
import { PavedRoadClient } from './api/PavedRoadClient';
import {
  CostCenterPicker,
  CostCenterPickerFieldSchema,
  costCenterPickerValidation,
} from './components/CostCenterPicker';
import { hygieneRouteRef } from './routes';

/**
 * The Paved Road plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const pavedRoadPlugin = createPlugin({
  id: 'paved-road',
  apis: [
    createApiFactory({
      api: pavedRoadApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PavedRoadClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { hygiene: hygieneRouteRef },
});

/**
 * The catalog hygiene page; mount it with
 * `<Route path="/paved-road/hygiene" element={<CatalogHygienePage />} />`.
 *
 * @public
 */
export const CatalogHygienePage = pavedRoadPlugin.provide(
  createRoutableExtension({
    name: 'CatalogHygienePage',
    component: () =>
      import('./components/HygienePage').then(m => m.HygienePage),
    mountPoint: hygieneRouteRef,
  }),
);

/**
 * The `CostCenterPicker` field for `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const CostCenterPickerFieldExtension = pavedRoadPlugin.provide(
  createScaffolderFieldExtension({
    name: 'CostCenterPicker',
    component: CostCenterPicker,
    validation: costCenterPickerValidation,
    schema: CostCenterPickerFieldSchema.schema,
  }),
);
