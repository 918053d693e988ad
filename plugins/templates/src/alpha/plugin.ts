import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { templateHealthRouteRef } from '../routes';
import { templatesApi } from './apis';
import { templateHealthEntityCard } from './entityCards';
import { templateHealthPage } from './pages';
import {
  templateFleetPage,
  templateUpgradeEntityCard,
  templateUpgradesApi,
} from './upgrades';
import { templateFleetRouteRef } from '../components/TemplateFleetPage/routes';

/**
 * The templates plugin for the new frontend system: the API, the template
 * health page (and its sidebar item) and the template health card on
 * templates and on projects made from them; the template upgrade card on
 * projects and the template fleet page (with batch upgrades).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'templates',
  info: { packageJson: () => import('../../package.json') },
  routes: {
    templateHealth: templateHealthRouteRef,
    templateFleet: templateFleetRouteRef,
  },
  extensions: [
    templatesApi,
    templateHealthPage,
    templateHealthEntityCard,
    templateUpgradesApi,
    templateUpgradeEntityCard,
    templateFleetPage,
  ],
});
