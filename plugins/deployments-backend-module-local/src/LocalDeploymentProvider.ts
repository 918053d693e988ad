import type {
  DeploymentOutcome,
  DeploymentProvider,
  DeploymentReporter,
  DeploymentRequest,
  RuntimeState,
} from '@paved-road/plugin-deployments-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ArtifactBuilder } from './build/ArtifactBuilder';
import { strategies } from './rollout';
import { LocalRuntime } from './runtime/LocalRuntime';
import { deploymentDirectory } from './runtime/paths';
import { InstanceSpec, ServiceRuntime } from './runtime/ServiceRuntime';

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/**
 * The `local` deployment provider: builds the commit on this machine,
 * rolls it out over JVM processes as the settings' strategy says, and
 * keeps the previous version serving when the new one fails.
 */
export class LocalDeploymentProvider implements DeploymentProvider {
  readonly id = 'local';

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly builder: ArtifactBuilder,
  ) {}

  async deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    let service: ServiceRuntime;
    try {
      service = await this.runtime.open(request);
    } catch (error) {
      return { status: 'failed', reason: message(error) };
    }
    return service.exclusive(() => this.rollOut(service, request, reporter));
  }

  private async rollOut(
    service: ServiceRuntime,
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const { config } = this.runtime;
    const { settings, deploymentId } = request;
    const { signal } = reporter;

    const serving = service.serving;
    if (serving?.deploymentId === deploymentId) {
      const healthy = service
        .list()
        .filter(i => i.deploymentId === deploymentId && i.healthy).length;
      if (healthy >= serving.instances) {
        reporter.log(
          `already rolled out: ${healthy} instance(s) of ${serving.version.slice(
            0,
            7,
          )} serve ${service.url}`,
        );
        return { status: 'succeeded' };
      }
      // Its rollout is redone from the start, as a first deployment.
      await service.setServing(null);
    }

    // Called again after a restart: start over.
    const leftovers = service
      .list()
      .filter(i => i.deploymentId === deploymentId);
    if (leftovers.length > 0) {
      reporter.log(
        `stopping ${leftovers.length} instance(s) an earlier attempt of this deployment left`,
      );
      await service.stopAll(i => i.deploymentId === deploymentId);
    }
    const directory = deploymentDirectory(
      config.workDirectory,
      request,
      deploymentId,
    );
    await fs.rm(directory, { recursive: true, force: true });

    let artifact: string;
    try {
      artifact = await reporter.stage('build', () =>
        this.builder.build(request, {
          directory,
          log: line => reporter.log(line),
          signal,
        }),
      );
    } catch (error) {
      // Nothing that serves was touched.
      return {
        status: 'failed',
        reason: signal.aborted
          ? 'cancelled during the build'
          : `build failed: ${message(error)}`,
      };
    }

    const replicas = settings.replicas;
    const count = Math.min(replicas, config.maxInstances);
    const spec: InstanceSpec = {
      deploymentId,
      version: request.commitSha,
      artifact,
      memoryMiB: Math.min(settings.memoryMiB, config.maxMemoryMiB),
      healthCheckPath: settings.rollout.healthCheckPath,
    };
    if (count < replicas) {
      reporter.log(
        `${count} of ${replicas} replicas run locally (deployments.local.maxInstances is ${config.maxInstances})`,
      );
    }

    try {
      await strategies[settings.rollout.strategy]({
        service,
        spec,
        count,
        canaryPercent: settings.rollout.canaryPercent,
        bakeSeconds: config.bakeSeconds,
        reporter,
      });
      await service.setServing({ ...spec, instances: count, replicas });
      await this.removeUnusedDirectories(service, deploymentId);
      reporter.log(
        `${count} instance(s) of ${request.commitSha.slice(0, 7)} serve ${
          service.url
        }`,
      );
      return { status: 'succeeded' };
    } catch (error) {
      const reason = signal.aborted ? 'cancelled' : message(error);
      return this.rollBack(service, deploymentId, reason, reporter);
    }
  }

  /** Stops the new version; the previous one serves at its full count. */
  private async rollBack(
    service: ServiceRuntime,
    deploymentId: string,
    reason: string,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome> {
    const serving = service.serving;
    try {
      await reporter.stage('rollback', async () => {
        reporter.log(`rolling back: ${reason}`);
        await service.stopAll(i => i.deploymentId === deploymentId);
        if (!serving) {
          reporter.log('nothing served before this deployment');
          return;
        }
        // A rollout that had replaced some of them restarts those.
        const restarted = await service.restoreServing(
          AbortSignal.timeout(this.runtime.config.startupTimeoutSeconds * 2000),
          line => reporter.log(line),
        );
        reporter.log(
          `${serving.version.slice(0, 7)} serves ${service.url}${
            restarted ? ` (${restarted} instance(s) restarted)` : ''
          }`,
        );
      });
    } catch (error) {
      return {
        status: 'failed',
        reason: `${reason}; the previous version could not be brought back: ${message(
          error,
        )}`,
      };
    } finally {
      await this.removeUnusedDirectories(service, deploymentId);
    }
    return serving
      ? { status: 'rolled-back', reason }
      : { status: 'failed', reason };
  }

  /** Keeps the serving artifact, running ones' and this deployment's logs. */
  private async removeUnusedDirectories(
    service: ServiceRuntime,
    current: string,
  ) {
    const { workDirectory } = this.runtime.config;
    const keep = new Set(
      [
        current,
        ...(service.serving ? [service.serving.deploymentId] : []),
        ...service.list().map(i => i.deploymentId),
      ].map(id => deploymentDirectory(workDirectory, service.key, id)),
    );
    const entries = await fs.readdir(service.directory).catch(() => []);
    for (const entry of entries) {
      const dir = path.join(service.directory, entry);
      if (!keep.has(dir)) await fs.rm(dir, { recursive: true, force: true });
    }
  }

  getRuntime(entityRef: string, environment: string): Promise<RuntimeState> {
    return this.runtime.getRuntime({ entityRef, environment });
  }

  teardown(entityRef: string, environment: string): Promise<void> {
    return this.runtime.teardown({ entityRef, environment });
  }
}
