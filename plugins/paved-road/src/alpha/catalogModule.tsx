import {
  coreExtensionData,
  createExtensionDataRef,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin, {
  CatalogIndexPage,
} from '@backstage/plugin-catalog/alpha';
import { pavedRoadCatalogColumns } from '../components/catalog/columns';

type CatalogExportSettings = NonNullable<
  Parameters<typeof CatalogIndexPage>[0]['exportSettings']
>;

// The catalog page reads its CatalogExportConfigBlueprint inputs through a
// data ref it does not export; refs are matched by id, so this one reads them.
const catalogExportConfigDataRef = createExtensionDataRef<
  Pick<CatalogExportSettings, 'exporters' | 'columns' | 'onSuccess' | 'onError'>
>().with({ id: 'catalog.export-customization' });

/**
 * Overrides `page:catalog` to add the business-unit and cost-center columns.
 * In this Backstage release the new-system catalog page takes table columns
 * only as a prop, so this renders the catalog's own `CatalogIndexPage` with
 * the page's filters, pagination and export settings, plus the columns.
 */
const catalogPageWithPavedRoadColumns = catalogPlugin
  .getExtension('page:catalog')
  .override({
    factory(originalFactory, { inputs, config }) {
      return originalFactory({
        params: {
          loader: async () => {
            const filters = inputs.filters.map(f =>
              f.get(coreExtensionData.reactElement),
            );
            const exportSettings: CatalogExportSettings = {
              ...config.exportSettings,
            };
            for (const input of inputs.exportConfig) {
              const data = input.get(catalogExportConfigDataRef);
              if (!data) continue;
              if (data.exporters) {
                exportSettings.exporters = {
                  ...exportSettings.exporters,
                  ...data.exporters,
                };
              }
              exportSettings.columns ??= data.columns;
              exportSettings.onSuccess ??= data.onSuccess;
              exportSettings.onError ??= data.onError;
            }
            return (
              <CatalogIndexPage
                filters={<>{filters}</>}
                columns={pavedRoadCatalogColumns}
                pagination={config.pagination}
                exportSettings={
                  exportSettings.enabled ? exportSettings : undefined
                }
              />
            );
          },
        },
      });
    },
  });

/**
 * Catalog module adding Paved Road's business-unit and cost-center columns
 * to the catalog index table. Install it next to the catalog plugin:
 * `createApp({ features: [catalogPlugin, catalogModulePavedRoadColumns] })`.
 *
 * @alpha
 */
export const catalogModulePavedRoadColumns = createFrontendModule({
  pluginId: 'catalog',
  extensions: [catalogPageWithPavedRoadColumns],
});
