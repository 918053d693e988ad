import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DeploymentProvider,
  deploymentProvidersExtensionPoint,
} from '@paved-road/plugin-deployments-node';
import fs from 'node:fs/promises';
import {
  deploymentRequest,
  FakeBuilder,
  get,
  isRunning,
  NodeLauncher,
  TestReporter,
} from './__testUtils__/fakeService';
import { tempDir, testConfig } from './__testUtils__/harness';
import { createDeploymentsModuleLocal } from './module';
import { canListen } from './proxy/ports';

jest.setTimeout(60_000);

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

describe('deploymentsModuleLocal', () => {
  let workDirectory: string;

  beforeEach(async () => {
    workDirectory = await tempDir();
  });

  afterEach(async () => {
    await fs.rm(workDirectory, { recursive: true, force: true });
  });

  it('adds the local provider, and stops its instances when the backend stops', async () => {
    const providers: DeploymentProvider[] = [];
    const { ports } = testConfig(workDirectory);
    const backend = await startTestBackend({
      features: [
        deploymentsPluginCollecting(providers),
        createDeploymentsModuleLocal({
          builder: new FakeBuilder(),
          launcher: new NodeLauncher(),
          healthIntervalMs: 200,
        }),
        mockServices.rootConfig.factory({
          data: {
            deployments: {
              local: { workDirectory, ports, bakeSeconds: 0 },
            },
          },
        }),
      ],
    });
    expect(providers.map(p => p.id)).toEqual(['local']);
    const [provider] = providers;

    const outcome = await provider.deploy(
      deploymentRequest('v1'),
      new TestReporter(),
    );
    expect(outcome).toEqual({ status: 'succeeded' });
    const runtime = await provider.getRuntime(
      'component:default/orders-service',
      'production',
    );
    expect(runtime.url).toBe(`http://localhost:${ports.from}`);
    expect((await get(runtime.url!)).json.version).toBe('v1');
    const pids = await Promise.all(
      runtime.instances.map(async i => (await get(i.url)).json.pid as number),
    );

    await backend.stop();

    expect(pids.map(isRunning)).toEqual([false, false]);
    await expect(canListen(ports.from)).resolves.toBe(true);
  });
});
