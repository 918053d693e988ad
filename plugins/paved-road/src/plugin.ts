import {
  createApiFactory,
  createComponentExtension,
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
import {
  EntityNamePicker,
  EntityNamePickerFieldSchema,
  entityNamePickerValidation,
} from './components/EntityNamePicker';
import { auditRouteRef, hygieneRouteRef } from './routes';

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
  routes: { hygiene: hygieneRouteRef, audit: auditRouteRef },
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
 * The audit trail page; mount it with
 * `<Route path="/paved-road/audit" element={<PavedRoadAuditPage />} />`.
 *
 * @public
 */
export const PavedRoadAuditPage = pavedRoadPlugin.provide(
  createRoutableExtension({
    name: 'PavedRoadAuditPage',
    component: () => import('./components/AuditPage').then(m => m.AuditPage),
    mountPoint: auditRouteRef,
  }),
);

/**
 * The "Recent activity" card of an entity page: its last audit events and a
 * link to the audit page filtered on it.
 *
 * @public
 */
export const EntityAuditCard = pavedRoadPlugin.provide(
  createComponentExtension({
    name: 'EntityAuditCard',
    component: {
      lazy: () =>
        import('./components/EntityAuditCard').then(m => m.EntityAuditCard),
    },
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

/**
 * The `AvailableEntityNamePicker` field for `<ScaffolderFieldExtensions>`:
 * the new entity's name, refused when the catalog already has it.
 *
 * @public
 */
export const EntityNamePickerFieldExtension = pavedRoadPlugin.provide(
  createScaffolderFieldExtension({
    name: 'AvailableEntityNamePicker',
    component: EntityNamePicker,
    validation: entityNamePickerValidation,
    schema: EntityNamePickerFieldSchema.schema,
  }),
);
