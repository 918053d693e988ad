import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogModulePavedRoadColumns } from '@paved-road/plugin-paved-road/alpha';
import { appModuleTemplateCardWithHealth } from '@paved-road/plugin-templates/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';

// Paved Road's own plugins (deployments, costs, paved-road) and the stock
// ones are discovered from package.json through `app.packages: all`; the
// business unit / cost center columns replace the catalog table's defaults,
// and the create page's template cards show each template's health.
export default createApp({
  features: [
    catalogPlugin,
    catalogModulePavedRoadColumns,
    appModuleTemplateCardWithHealth,
    navModule,
    homeModule,
    signInModule,
  ],
});
