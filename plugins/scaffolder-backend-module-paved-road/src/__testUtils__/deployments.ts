import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The deploy step is tested against the real deployments backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import deploymentsPlugin from '@paved-road/plugin-deployments-backend';
import {
  deploymentProvidersExtensionPoint,
  type DeploymentOutcome,
  type DeploymentProvider,
  type DeploymentReporter,
  type DeploymentRequest,
  type RuntimeState,
} from '@paved-road/plugin-deployments-node';

/**
 * A deployment provider that deploys nothing: it records each request and
 * succeeds, or, while `holding`, waits until the backend aborts it (so a
 * deployment stays unfinished for as long as a test needs).
 */
export class RecordingDeploymentProvider implements DeploymentProvider {
  readonly id = 'recording';
  readonly requests: DeploymentRequest[] = [];
  holding = false;

  async deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    this.requests.push(request);
    if (this.holding) {
      await new Promise(resolve =>
        reporter.signal.addEventListener('abort', resolve, { once: true }),
      );
      return { status: 'failed', reason: 'aborted' };
    }
    await reporter.stage('deploy', async () => {
      reporter.log(`Deployed ${request.commitSha.slice(0, 7)}`);
    });
    return { status: 'succeeded' };
  }

  async getRuntime(): Promise<RuntimeState> {
    return { url: null, instances: [], desiredReplicas: null };
  }

  async teardown(): Promise<void> {}
}

/**
 * `deployments` config naming the provider and the environments a test
 * deploys to, with a quick runner.
 */
export const deploymentsConfig = (
  provider: string | undefined,
  environments = ['production'],
) => ({
  ...(provider ? { provider } : {}),
  environments,
  runner: {
    pollInterval: { milliseconds: 50 },
    heartbeatInterval: { milliseconds: 100 },
    staleAfter: { seconds: 30 },
  },
});

/**
 * The deployments backend plugin and, when given, the backend module that
 * adds `provider` (name it in `deployments.provider` to use it).
 */
export function deploymentsBackend(
  provider?: DeploymentProvider,
): BackendFeature[] {
  if (!provider) {
    return [deploymentsPlugin];
  }
  const providerModule = createBackendModule({
    pluginId: 'deployments',
    moduleId: 'recording',
    register(env) {
      env.registerInit({
        deps: { providers: deploymentProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(provider);
        },
      });
    },
  });
  return [deploymentsPlugin, providerModule];
}

/**
 * Permissions that allow everything (the scaffolder asks too) except the
 * permissions `denied` names at the time of the check.
 */
export function permissionsDenying(denied: () => string[]) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result: denied().includes(r.permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  }).factory;
}
