import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  businessUnitCatalogFilter,
  costCenterCatalogFilter,
  costCenterPickerFormField,
  hygienePage,
  pavedRoadApi,
} from './extensions';
import { hygieneRouteRef } from './routes';

/**
 * Paved Road for the new frontend system: the CostCenterPicker scaffolder
 * field, the catalog hygiene page and business-unit / cost-center filters
 * on the catalog index page.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'paved-road',
  info: { packageJson: () => import('../../package.json') },
  routes: { hygiene: hygieneRouteRef },
  extensions: [
    pavedRoadApi,
    hygienePage,
    costCenterPickerFormField,
    businessUnitCatalogFilter,
    costCenterCatalogFilter,
  ],
});
