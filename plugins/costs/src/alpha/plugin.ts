import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { costExplorerRouteRef } from '../routes';
import { costsApi } from './apis';
import { costsEntityContent } from './entityContents';
import { deploymentCostEstimateFormField } from './formFieldExtensions';
import { costExplorerPage } from './pages';

/**
 * The costs plugin for the new frontend system: the API, the Cost tab on
 * entities with a cost center, the Cost explorer page (and its sidebar
 * item) and the `DeploymentCostEstimate` scaffolder field.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'costs',
  info: { packageJson: () => import('../../package.json') },
  routes: { explorer: costExplorerRouteRef },
  extensions: [
    costsApi,
    costsEntityContent,
    costExplorerPage,
    deploymentCostEstimateFormField,
  ],
});
