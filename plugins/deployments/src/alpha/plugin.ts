import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { deploymentsApi } from './apis';
import { deploymentsEntityContent } from './entityContents';

/**
 * The deployments plugin for the new frontend system: the API and the
 * Deployments tab on service entity pages.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'deployments',
  info: { packageJson: () => import('../../package.json') },
  extensions: [deploymentsApi, deploymentsEntityContent],
});
