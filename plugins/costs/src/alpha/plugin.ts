import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { costsApi } from './apis';
import { costsEntityContent } from './entityContents';

/**
 * The costs plugin for the new frontend system: the API and the Cost tab on
 * entities with a cost center.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'costs',
  info: { packageJson: () => import('../../package.json') },
  extensions: [costsApi, costsEntityContent],
});
