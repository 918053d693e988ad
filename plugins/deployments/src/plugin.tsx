import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/deployments',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const deploymentsPlugin = createFrontendPlugin({
  pluginId: 'deployments',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
