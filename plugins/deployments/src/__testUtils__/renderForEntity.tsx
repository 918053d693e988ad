import type { Entity } from '@backstage/catalog-model';
import type { RouteRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { deploymentsApiRef, type DeploymentsApi } from '../api/DeploymentsApi';

type Decision = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

/**
 * Renders `element` on the page of `entity` with a deployments API and a
 * permission API deciding `authorize` (by permission name, or for all).
 */
export async function renderForEntity(
  element: ReactNode,
  options: {
    entity: Entity;
    api: DeploymentsApi;
    authorize?: Decision | Record<string, Decision>;
    /** Route refs to mount besides the entity page's. */
    mountedRoutes?: Record<string, RouteRef>;
    /** The app's signals API; without it the page polls, as in an app without signals. */
    signalApi?: SignalApi;
    /** Where the app starts, e.g. `/?deployment=d1`; `/` by default. */
    routeEntries?: string[];
  },
) {
  const { entity, api, authorize = AuthorizeResult.ALLOW } = options;
  const permissionApi = mockApis.permission({
    authorize:
      typeof authorize === 'object'
        ? request => authorize[request.permission.name] ?? AuthorizeResult.ALLOW
        : authorize,
  });
  return renderInTestApp(
    // usePermission caches answers in SWR's global cache; a fresh cache per
    // render keeps one test's decision out of the next.
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [deploymentsApiRef, api],
          [permissionApiRef, permissionApi],
          ...(options.signalApi
            ? [[signalApiRef, options.signalApi] as const]
            : []),
        ]}
      >
        <EntityProvider entity={entity}>{element}</EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        ...options.mountedRoutes,
      },
    },
  );
}
