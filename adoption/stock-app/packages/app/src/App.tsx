import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import pavedRoadPlugin, {
  catalogModulePavedRoadColumns,
} from '@paved-road/plugin-paved-road/alpha';
import deploymentsPlugin from '@paved-road/plugin-deployments/alpha';
import costsPlugin from '@paved-road/plugin-costs/alpha';
import templatesPlugin, {
  appModuleTemplateCardWithHealth,
} from '@paved-road/plugin-templates/alpha';

export default createApp({
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    pavedRoadPlugin,
    catalogModulePavedRoadColumns,
    deploymentsPlugin,
    costsPlugin,
    templatesPlugin,
    appModuleTemplateCardWithHealth,
  ],
});
