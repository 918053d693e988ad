import type {
  DeploymentOutcome,
  DeploymentProvider,
  DeploymentReporter,
  DeploymentRequest,
  RuntimeState,
} from '@paved-road/plugin-deployments-node';

/**
 * A deployment provider for tests: it runs `build`, `canary` and `promote`
 * as stages through the reporter, keeps what "runs" per entity and
 * environment in memory, and can be told to fail a commit, to hold a
 * deployment in its canary stage until released or aborted, to fail
 * teardowns or to fail reading an environment's runtime.
 */
export class ScriptedProvider implements DeploymentProvider {
  readonly calls: DeploymentRequest[] = [];
  /** Commit shas whose canary fails its health check. */
  readonly unhealthy = new Set<string>();
  /** While true, deployments wait in `canary` until {@link release}. */
  holding = false;
  /** `entityRef|environment` of every teardown, in order. */
  readonly teardowns: string[] = [];
  /** When set, teardown throws it (the provider could not stop anything). */
  teardownError: Error | undefined;
  /** Environments whose runtime cannot be read (getRuntime throws). */
  readonly unreadable = new Set<string>();
  private readonly serving = new Map<
    string,
    { version: string; startedAt: string; replicas: number }
  >();
  private readonly held = new Map<string, () => void>();
  private readonly waiters: (() => void)[] = [];

  constructor(readonly id = 'scripted') {}

  async deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    this.calls.push(request);
    this.waiters.splice(0).forEach(wake => wake());
    const { commitSha } = request;
    if (reporter.signal.aborted) {
      reporter.log('Cancelled before it started: nothing to clean up');
      return { status: 'failed', reason: 'cancelled' };
    }
    await reporter.stage('build', async () => {
      reporter.log(`Building ${commitSha.slice(0, 7)}`);
      reporter.log('BUILD SUCCESS');
    });
    try {
      await reporter.stage('canary', async () => {
        reporter.log(`Canary of ${request.settings.replicas} replicas`);
        if (this.holding) {
          await this.hold(request.deploymentId, reporter.signal);
        }
        if (this.unhealthy.has(commitSha)) {
          throw new Error(
            `${request.settings.rollout.healthCheckPath} answered 503`,
          );
        }
      });
    } catch (error) {
      return {
        status: 'rolled-back',
        reason: `canary failed: ${(error as Error).message}`,
      };
    }
    await reporter.stage('promote', async () => {
      this.serving.set(`${request.entityRef}|${request.environment}`, {
        version: commitSha,
        startedAt: new Date().toISOString(),
        replicas: request.settings.replicas,
      });
    });
    return { status: 'succeeded' };
  }

  async getRuntime(
    entityRef: string,
    environment: string,
  ): Promise<RuntimeState> {
    if (this.unreadable.has(environment)) {
      throw new Error(`${environment} cannot be read right now`);
    }
    const serving = this.serving.get(`${entityRef}|${environment}`);
    if (!serving) {
      return { url: null, instances: [], desiredReplicas: null };
    }
    return {
      url: 'http://localhost:40000',
      instances: [
        {
          id: 'instance-1',
          version: serving.version,
          url: 'http://localhost:40001',
          healthy: true,
          startedAt: serving.startedAt,
          restarts: 0,
        },
      ],
      desiredReplicas: serving.replicas,
      note: `1 of ${serving.replicas} replicas run locally`,
    };
  }

  async teardown(entityRef: string, environment: string): Promise<void> {
    if (this.teardownError) {
      throw this.teardownError;
    }
    this.teardowns.push(`${entityRef}|${environment}`);
    this.serving.delete(`${entityRef}|${environment}`);
  }

  /** Lets a held deployment go on. */
  release(deploymentId: string): void {
    this.held.get(deploymentId)?.();
  }

  /** Resolves once `deploy` has been called `count` times in all. */
  async called(count: number): Promise<void> {
    while (this.calls.length < count) {
      await new Promise<void>(resolve => this.waiters.push(resolve));
    }
  }

  /** Resolves once a deployment waits in its canary stage. */
  async whenHeld(deploymentId: string): Promise<void> {
    while (!this.held.has(deploymentId)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }

  private hold(deploymentId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const abort = () => {
        this.held.delete(deploymentId);
        reject(signal.reason);
      };
      signal.addEventListener('abort', abort, { once: true });
      this.held.set(deploymentId, () => {
        this.held.delete(deploymentId);
        signal.removeEventListener('abort', abort);
        resolve();
      });
    });
  }
}
