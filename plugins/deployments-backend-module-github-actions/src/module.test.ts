import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DeploymentProvider,
  deploymentProvidersExtensionPoint,
} from '@paved-road/plugin-deployments-node';
import { setupServer } from 'msw/node';
import { fakeGithub, TOKEN } from './__testUtils__/fakeGithub';
import {
  deploymentRequest,
  ENTITY_REF,
  githubEntity,
} from './__testUtils__/harness';
import { TestReporter } from './__testUtils__/TestReporter';
import { createDeploymentsModuleGithubActions } from './module';

jest.setTimeout(30_000);

/** The deployments plugin's side of the extension point, as it is used. */
function deploymentsPluginCollecting(providers: DeploymentProvider[]) {
  return createBackendPlugin({
    pluginId: 'deployments',
    register(env) {
      env.registerExtensionPoint(deploymentProvidersExtensionPoint, {
        addProvider: provider => providers.push(provider),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('deploymentsModuleGithubActions', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('adds the github-actions provider, configured from deployments.githubActions and integrations.github', async () => {
    const github = fakeGithub();
    server.use(...github.handlers);
    github.addDeployment('production', [
      { state: 'success', environment_url: 'https://orders.example.com' },
    ]);
    const providers: DeploymentProvider[] = [];
    await startTestBackend({
      features: [
        deploymentsPluginCollecting(providers),
        createDeploymentsModuleGithubActions({ secondMs: 5 }),
        catalogServiceMock.factory({ entities: [githubEntity] }),
        mockServices.rootConfig.factory({
          data: {
            integrations: { github: [{ host: 'github.com', token: TOKEN }] },
            deployments: {
              provider: 'github-actions',
              githubActions: {
                workflow: 'cd.yaml',
                pollInterval: { milliseconds: 5 },
              },
            },
          },
        }),
      ],
    });
    expect(providers.map(p => p.id)).toEqual(['github-actions']);
    const [provider] = providers;

    await expect(
      provider.deploy(deploymentRequest(), new TestReporter()),
    ).resolves.toEqual({ status: 'succeeded' });
    await expect(
      provider.getRuntime(ENTITY_REF, 'production'),
    ).resolves.toMatchObject({ url: 'https://orders.example.com' });
  });

  it('refuses to start with a workflow that is not a file name', async () => {
    await expect(
      startTestBackend({
        features: [
          deploymentsPluginCollecting([]),
          createDeploymentsModuleGithubActions(),
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { deployments: { githubActions: { workflow: 'a/b.yaml' } } },
          }),
        ],
      }),
    ).rejects.toThrow(/deployments\.githubActions\.workflow/);
  });
});
