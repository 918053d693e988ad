import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DeploymentRequest } from '@paved-road/plugin-deployments-node';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { DEFAULT_GITHUB_ACTIONS_CONFIG, GithubActionsConfig } from '../config';
import { GithubActionsDeploymentProvider } from '../GithubActionsDeploymentProvider';
import { GithubRepositories } from '../github/GithubRepository';
import { GithubEnvironments } from '../runtime/GithubEnvironments';
import { OWNER, REPO_NAME, TOKEN } from './fakeGithub';

export const COMMIT = 'a'.repeat(40);
export const ENTITY_REF = 'component:default/orders';

export const githubEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:https://github.com/${OWNER}/${REPO_NAME}/blob/main/catalog-info.yaml`,
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

export const localEntity = {
  ...githubEntity,
  metadata: {
    name: 'billing',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location':
        'url:http://localhost:7007/api/local-git/billing/raw/main/catalog-info.yaml',
    },
  },
};

export const testConfig = new ConfigReader({
  integrations: { github: [{ host: 'github.com', token: TOKEN }] },
});

let counter = 0;

export function deploymentRequest(
  overrides: Partial<DeploymentRequest> = {},
): DeploymentRequest {
  counter += 1;
  return {
    deploymentId: `0b7c6a52-1d2e-4f3a-9b8c-${String(counter).padStart(
      12,
      '0',
    )}`,
    entityRef: ENTITY_REF,
    environment: 'production',
    ref: 'main',
    commitSha: COMMIT,
    repository: {
      cloneUrl: `https://github.com/${OWNER}/${REPO_NAME}.git`,
      githubSlug: `${OWNER}/${REPO_NAME}`,
      defaultBranch: 'main',
    },
    settings: DEFAULT_DEPLOYMENT_SETTINGS,
    ...overrides,
  };
}

/** The provider as the module builds it, with short waits. */
export function testProvider(
  options: {
    config?: Partial<GithubActionsConfig>;
    /** Milliseconds per second of a rate-limit wait. */
    secondMs?: number;
  } = {},
) {
  const integrations = ScmIntegrations.fromConfig(testConfig);
  const repositories = new GithubRepositories({
    integrations,
    credentials:
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    secondMs: options.secondMs ?? 5,
  });
  const environments = new GithubEnvironments({
    catalog: catalogServiceMock({ entities: [githubEntity, localEntity] }),
    auth: mockServices.auth(),
    integrations,
    repositories,
    onRateLimit: () => {},
  });
  return new GithubActionsDeploymentProvider({
    config: {
      ...DEFAULT_GITHUB_ACTIONS_CONFIG,
      pollIntervalMs: 5,
      runLookupTimeoutMs: 5_000,
      ...options.config,
    },
    repositories,
    environments,
    logger: mockServices.logger.mock(),
  });
}
