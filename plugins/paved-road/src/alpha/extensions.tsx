import {
  ApiBlueprint,
  PageBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  CatalogFilterBlueprint,
  EntityCardBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import HistoryIcon from '@material-ui/icons/History';
import RuleIcon from '@material-ui/icons/PlaylistAddCheck';
import { pavedRoadApiRef } from '../api/PavedRoadApi';
import { PavedRoadClient } from '../api/PavedRoadClient';
import { auditRouteRef } from '../routes';
import { hygieneRouteRef } from './routes';

/** @alpha */
export const pavedRoadApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: pavedRoadApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new PavedRoadClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `page:paved-road/hygiene` at `/paved-road/hygiene`; its title and icon
 * make the "Catalog hygiene" sidebar item.
 *
 * @alpha
 */
export const hygienePage = PageBlueprint.make({
  name: 'hygiene',
  params: {
    path: '/paved-road/hygiene',
    routeRef: hygieneRouteRef,
    title: 'Catalog hygiene',
    icon: <RuleIcon fontSize="inherit" />,
    loader: () =>
      import('../components/HygienePage').then(m => <m.HygienePage />),
  },
});

/**
 * `page:paved-road/audit` at `/paved-road/audit`; its title and icon make
 * the "Audit trail" sidebar item. The route ref is shared with the legacy
 * plugin so the entity card's link resolves in both systems.
 *
 * @alpha
 */
export const auditPage = PageBlueprint.make({
  name: 'audit',
  params: {
    path: '/paved-road/audit',
    routeRef: auditRouteRef,
    title: 'Audit trail',
    icon: <HistoryIcon fontSize="inherit" />,
    loader: () => import('../components/AuditPage').then(m => <m.AuditPage />),
  },
});

/**
 * `entity-card:paved-road/recent-activity`: the last audit events on the
 * overview of Components, the entities Paved Road projects are. App config
 * can widen `filter`.
 *
 * @alpha
 */
export const entityAuditCard = EntityCardBlueprint.make({
  name: 'recent-activity',
  params: {
    type: 'content',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/EntityAuditCard').then(m => <m.EntityAuditCard />),
  },
});

/**
 * `scaffolder-form-field:paved-road/cost-center-picker`: the
 * `ui:field: CostCenterPicker` of templates.
 *
 * @alpha
 */
export const costCenterPickerFormField = FormFieldBlueprint.make({
  name: 'cost-center-picker',
  params: {
    field: () => import('./formFields').then(m => m.CostCenterPickerFormField),
  },
});

/**
 * `scaffolder-form-field:paved-road/entity-name-picker`: the
 * `ui:field: AvailableEntityNamePicker` of templates.
 *
 * @alpha
 */
export const entityNamePickerFormField = FormFieldBlueprint.make({
  name: 'entity-name-picker',
  params: {
    field: () => import('./formFields').then(m => m.EntityNamePickerFormField),
  },
});

/** @alpha Business-unit filter on the catalog index page. */
export const businessUnitCatalogFilter = CatalogFilterBlueprint.make({
  name: 'business-unit',
  params: {
    loader: () =>
      import('../components/catalog/pickers').then(m => (
        <m.EntityBusinessUnitPicker />
      )),
  },
});

/** @alpha Cost-center filter on the catalog index page. */
export const costCenterCatalogFilter = CatalogFilterBlueprint.make({
  name: 'cost-center',
  params: {
    loader: () =>
      import('../components/catalog/pickers').then(m => (
        <m.EntityCostCenterPicker />
      )),
  },
});
