import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  auditPage,
  businessUnitCatalogFilter,
  costCenterCatalogFilter,
  costCenterPickerFormField,
  entityAuditCard,
  entityNamePickerFormField,
  hygienePage,
  pavedRoadApi,
} from './extensions';
import { auditRouteRef } from '../routes';
import { hygieneRouteRef } from './routes';

/**
 * Paved Road for the new frontend system: the CostCenterPicker scaffolder
 * field, the catalog hygiene page, the audit trail page and entity card, and
 * business-unit / cost-center filters on the catalog index page.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'paved-road',
  info: { packageJson: () => import('../../package.json') },
  routes: { hygiene: hygieneRouteRef, audit: auditRouteRef },
  extensions: [
    pavedRoadApi,
    hygienePage,
    auditPage,
    entityAuditCard,
    costCenterPickerFormField,
    entityNamePickerFormField,
    businessUnitCatalogFilter,
    costCenterCatalogFilter,
  ],
});
