import type { Entity } from '@backstage/catalog-model';
import type {
  DeploymentSettingsVersion,
  ProjectState,
} from '@paved-road/plugin-deployments-common';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import type { DeploymentsApi } from '../api/DeploymentsApi';

export const ordersRef = {
  kind: 'Component',
  namespace: 'default',
  name: 'orders-service',
};

export const ordersEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

/** A stored settings version of orders-service. */
export function settingsVersion(
  version: number,
  overrides: Partial<Omit<DeploymentSettingsVersion, 'settings'>> & {
    settings?: Partial<DeploymentSettings>;
  } = {},
): DeploymentSettingsVersion {
  const { settings, ...rest } = overrides;
  return {
    entityRef: 'component:default/orders-service',
    version,
    settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, ...settings },
    createdBy: 'user:default/alice',
    createdAt: '2026-01-05T12:00:00.000Z',
    source: 'portal',
    commitSha: `${version}`.padEnd(40, 'a'),
    commitUrl: null,
    message: `change ${version}`,
    ...rest,
  };
}

export const activeProject: ProjectState = {
  entityRef: 'component:default/orders-service',
  repoUrl: 'https://github.com/acme/orders-service',
  deactivated: false,
  deactivatedBy: null,
  deactivatedAt: null,
  settingsError: null,
};

/** Every method a jest.fn; `overrides` sets what a test needs. */
export function mockDeploymentsApi(
  overrides: Partial<DeploymentsApi> = {},
): jest.Mocked<DeploymentsApi> {
  return {
    listDeployments: jest.fn().mockResolvedValue([]),
    getLatestSettings: jest.fn().mockResolvedValue(undefined),
    listSettingsVersions: jest.fn().mockResolvedValue([]),
    updateSettings: jest.fn(),
    getProject: jest.fn().mockResolvedValue(activeProject),
    deactivate: jest.fn().mockResolvedValue(undefined),
    reactivate: jest.fn().mockResolvedValue(undefined),
    getCreationRecord: jest.fn().mockResolvedValue(undefined),
    ...overrides,
  } as jest.Mocked<DeploymentsApi>;
}
