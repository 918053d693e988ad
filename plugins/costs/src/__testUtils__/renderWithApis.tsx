import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  renderInTestApp,
  TestApiProvider,
  type TestApiProviderProps,
} from '@backstage/test-utils';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';

/**
 * renderInTestApp with the given APIs, entity links resolvable, and a fresh
 * SWR cache: usePermission caches answers across tests otherwise.
 */
export function renderWithApis(
  element: ReactNode,
  apis: TestApiProviderProps<any>['apis'],
  options: { routeEntries?: string[] } = {},
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider apis={apis}>{element}</TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}
