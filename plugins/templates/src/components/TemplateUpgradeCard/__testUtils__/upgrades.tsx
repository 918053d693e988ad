import type { Entity } from '@backstage/catalog-model';
import type { RouteRef } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  ProjectUpgradeInfo,
  UpgradeJob,
} from '@paved-road/plugin-templates-common';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import {
  templateUpgradesApiRef,
  type TemplateUpgradesApi,
} from '../../../api/TemplateUpgradesApi';

export const ORDERS_REF = 'component:default/orders-api';
export const KOTLIN_REF = 'template:default/kotlin-spring-service';

export const ordersEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'backstage.io/source-template': KOTLIN_REF,
      'paved-road.io/template-version': '1.0.0',
    },
  },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

/** An upgrade of orders-api from 1.0.0 to 1.1.0, as the backend reports it. */
export function upgradeJob(overrides: Partial<UpgradeJob> = {}): UpgradeJob {
  return {
    id: '7a232cd8-7754-4366-95b1-e2e11be8e6b7',
    entityRef: ORDERS_REF,
    templateRef: KOTLIN_REF,
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    status: 'queued',
    requestedBy: 'user:default/guest',
    createdAt: '2026-12-07T18:23:26.426Z',
    ...overrides,
  };
}

/** A clean upgrade on local git: a branch and a clone URL, no pull request. */
export function cleanJob(overrides: Partial<UpgradeJob> = {}): UpgradeJob {
  return upgradeJob({
    status: 'succeeded',
    outcome: 'clean',
    finishedAt: '2026-12-07T18:23:29.744Z',
    result: {
      branch: 'paved-road/upgrade-1.1.0',
      templateCommit: 'a'.repeat(40),
      commit: 'b'.repeat(40),
      cloneUrl: 'http://localhost:7007/api/local-git/orders-api.git',
      conflicts: [],
      changedFiles: [
        { path: '.paved-road/answers.yaml', status: 'M' },
        { path: 'docs/runbook.md', status: 'A' },
      ],
    },
    ...overrides,
  });
}

export function availableInfo(
  overrides: Partial<ProjectUpgradeInfo> = {},
): ProjectUpgradeInfo {
  return {
    entityRef: ORDERS_REF,
    templateRef: KOTLIN_REF,
    currentVersion: '1.0.0',
    latestVersion: '1.1.0',
    available: true,
    changelog: [
      {
        version: '1.1.0',
        body: 'Adds `docs/runbook.md`, a runbook for the on-call team.',
      },
    ],
    newAnswers: { observability: { tracing: true } },
    missingAnswers: [],
    ...overrides,
  };
}

/** Every method a jest.fn; tests set what they need. */
export function mockUpgradesApi(
  overrides: Partial<jest.Mocked<TemplateUpgradesApi>> = {},
): jest.Mocked<TemplateUpgradesApi> {
  return {
    getProjectUpgrade: jest.fn().mockResolvedValue(availableInfo()),
    upgradeProject: jest.fn(),
    getUpgrade: jest.fn(),
    mergeUpgrade: jest.fn(),
    getUpgradeDiff: jest.fn(),
    getTemplateFleet: jest.fn(),
    upgradeFleet: jest.fn(),
    getBatch: jest.fn(),
    ...overrides,
  };
}

/** A ResponseError as the client throws it for a backend error response. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/upgrade' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/**
 * Renders `element` with the upgrades API, a permission API deciding
 * `authorize`, a catalog holding `catalogEntities`, on `entity`'s page
 * when given.
 */
export async function renderWithUpgrades(
  element: ReactNode,
  options: {
    api: TemplateUpgradesApi;
    entity?: Entity;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    catalogEntities?: Entity[];
    mountedRoutes?: Record<string, RouteRef>;
    routeEntries?: string[];
  },
) {
  const permissionApi = mockApis.permission({
    authorize: options.authorize ?? AuthorizeResult.ALLOW,
  });
  return renderInTestApp(
    // usePermission caches answers in SWR's global cache; a fresh cache per
    // render keeps one test's decision out of the next.
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [templateUpgradesApiRef, options.api],
          [permissionApiRef, permissionApi],
          [
            catalogApiRef,
            catalogApiMock({ entities: options.catalogEntities ?? [] }),
          ],
        ]}
      >
        {options.entity ? (
          <EntityProvider entity={options.entity}>{element}</EntityProvider>
        ) : (
          element
        )}
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
