import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  deploymentProvidersExtensionPoint,
  type DeploymentOutcome,
  type DeploymentProvider,
  type DeploymentReporter,
  type DeploymentRequest,
  type RuntimeState,
} from '@paved-road/plugin-deployments-node';

/** Settings whose canary fails its health check: `rollout.healthCheckPath`. */
export const UNHEALTHY_PATH = '/unhealthy';

const pause = () => new Promise(resolve => setTimeout(resolve, 150));

/**
 * A deployment provider that builds and runs nothing: `build`, `canary`
 * and `promote` stages with a few log lines, a canary that fails (and is
 * rolled back) when the settings check {@link UNHEALTHY_PATH}, and what
 * "runs" kept in memory. It lets the CLI tests go through the real
 * deployments plugin without Maven or JVMs.
 */
class ScriptedProvider implements DeploymentProvider {
  readonly id = 'scripted';
  private readonly serving = new Map<string, RuntimeState>();

  async deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const sha = request.commitSha.slice(0, 12);
    await reporter.stage('build', async () => {
      reporter.log(`Building ${sha}`);
      await pause();
      reporter.log('BUILD SUCCESS');
    });
    try {
      await reporter.stage('canary', async () => {
        reporter.log(
          `Canary: 1 of ${request.settings.replicas} replicas on ${sha}`,
        );
        await pause();
        const path = request.settings.rollout.healthCheckPath;
        if (path === UNHEALTHY_PATH) {
          reporter.log(`GET ${path}: 503`);
          throw new Error(`health check ${path} answered 503`);
        }
        reporter.log(`GET ${path}: 200 UP`);
      });
    } catch (error) {
      return {
        status: 'rolled-back',
        reason: `canary failed: ${(error as Error).message}`,
      };
    }
    await reporter.stage('promote', async () => {
      await pause();
      const startedAt = new Date().toISOString();
      this.serving.set(`${request.entityRef}|${request.environment}`, {
        url: 'http://localhost:40000',
        instances: Array.from(
          { length: request.settings.replicas },
          (_, i) => ({
            id: `instance-${i + 1}`,
            version: request.commitSha,
            url: `http://localhost:${40001 + i}`,
            healthy: true,
            startedAt,
            restarts: 0,
          }),
        ),
        desiredReplicas: request.settings.replicas,
      });
      reporter.log(`${request.settings.replicas} replicas on ${sha}`);
    });
    return { status: 'succeeded' };
  }

  async getRuntime(
    entityRef: string,
    environment: string,
  ): Promise<RuntimeState> {
    return (
      this.serving.get(`${entityRef}|${environment}`) ?? {
        url: null,
        instances: [],
        desiredReplicas: null,
      }
    );
  }

  async teardown(entityRef: string, environment: string): Promise<void> {
    this.serving.delete(`${entityRef}|${environment}`);
  }
}

/** Adds the scripted provider; `deployments.provider: scripted` picks it. */
export const deploymentsModuleScriptedProvider = createBackendModule({
  pluginId: 'deployments',
  moduleId: 'scripted-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: deploymentProvidersExtensionPoint },
      async init({ providers }) {
        providers.addProvider(new ScriptedProvider());
      },
    });
  },
});
