import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { deploymentsApi } from './apis';
import {
  pavedRoadProjectEntityCard,
  serviceLevelObjectivesEntityCard,
} from './entityCards';
import { deploymentsEntityContent } from './entityContents';

/**
 * The deployments plugin for the new frontend system: the API, the
 * Deployments tab on service entity pages, the project card on the
 * overview of projects the paved road made and, for the services among
 * them, their service level objectives.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'deployments',
  info: { packageJson: () => import('../../package.json') },
  extensions: [
    deploymentsApi,
    deploymentsEntityContent,
    pavedRoadProjectEntityCard,
    serviceLevelObjectivesEntityCard,
  ],
});
