import {
  ApiBlueprint,
  PageBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { CatalogFilterBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import RuleIcon from '@material-ui/icons/PlaylistAddCheck';
import { pavedRoadApiRef } from '../api/PavedRoadApi';
import { PavedRoadClient } from '../api/PavedRoadClient';
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
