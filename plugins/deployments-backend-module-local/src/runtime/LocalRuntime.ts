import type { RuntimeState } from '@paved-road/plugin-deployments-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import {
  isUniqueViolation,
  ServiceKey,
  StoredService,
} from '../database/LocalRuntimeStore';
import { checkHealth } from '../instances/healthCheck';
import {
  commandLineOf,
  isAlive,
  runsInstance,
  stopProcess,
} from '../instances/processes';
import { canListen } from '../proxy/ports';
import { RuntimeDeps, ServiceRuntime } from './ServiceRuntime';

const keyOf = (key: ServiceKey) => `${key.entityRef}\n${key.environment}`;

/** Another backend process runs the service; this one must not touch it. */
export class NotOwnedError extends Error {}

/**
 * Every service the local runtime runs in this backend process: opens
 * their stable URLs, takes over what a previous process left at start-up,
 * watches health, and stops every instance on shutdown.
 *
 * At start-up, for each service this host ran whose owner process is gone:
 * instances of the serving version that still run and answer healthy are
 * adopted; every other process it recorded (an interrupted rollout's, an
 * unhealthy one) is stopped and forgotten; the stable port opens again;
 * then the serving version is brought back to its instance count from its
 * kept artifact. A clean shutdown stops every instance (no JVM outlives
 * the backend), so the next start restarts them.
 */
export class LocalRuntime {
  private readonly services = new Map<string, ServiceRuntime>();
  private readonly host = os.hostname();
  private readonly deps: RuntimeDeps;
  private closing = false;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private restored: Promise<void> = Promise.resolve();

  constructor(deps: Omit<RuntimeDeps, 'closing'>) {
    this.deps = { ...deps, closing: () => this.closing };
  }

  get config() {
    return this.deps.config;
  }

  /** Takes over what a previous backend process left, then watches health. */
  async start(): Promise<void> {
    const taken: ServiceRuntime[] = [];
    for (const stored of await this.deps.store.listServices()) {
      if (!(await this.mayTake(stored))) continue;
      try {
        taken.push(await this.takeOver(stored));
      } catch (error) {
        this.deps.logger.error(
          `local runtime: could not take over ${stored.entityRef} (${stored.environment}): ${error}`,
        );
      }
    }
    this.restored = this.restoreAll(taken);
    this.timer = setInterval(() => this.checkAll(), this.deps.healthIntervalMs);
    this.timer.unref();
  }

  /** Resolves once the services taken over at start-up run again. */
  whenRestored(): Promise<void> {
    return this.restored;
  }

  /** The service, taken for this process (a port is given on first use). */
  async open(of: ServiceKey): Promise<ServiceRuntime> {
    const key = { entityRef: of.entityRef, environment: of.environment };
    const known = this.services.get(keyOf(key));
    if (known) return known;
    if (this.closing) throw new Error('the backend is shutting down');
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await this.deps.store.getService(key);
      if (stored) {
        if (!(await this.mayTake(stored))) {
          throw new NotOwnedError(
            `${key.entityRef} (${key.environment}) is run by another backend process (${stored.host}, pid ${stored.ownerPid}); the local runtime serves a service from one process`,
          );
        }
        return this.takeOver(stored);
      }
      const port = await this.pickPort();
      try {
        await this.deps.store.insertService({
          ...key,
          port,
          host: this.host,
          ownerPid: process.pid,
        });
      } catch (error) {
        // Another process took the port or the service meanwhile.
        if (isUniqueViolation(error)) continue;
        throw error;
      }
      const service = new ServiceRuntime(key, port, null, this.deps);
      await this.listen(service);
      this.services.set(keyOf(key), service);
      return service;
    }
    throw new Error(
      `could not give ${key.entityRef} (${key.environment}) a port of deployments.local.ports`,
    );
  }

  find(key: ServiceKey): ServiceRuntime | undefined {
    return this.services.get(keyOf(key));
  }

  async getRuntime(key: ServiceKey): Promise<RuntimeState> {
    const service = this.services.get(keyOf(key));
    if (service) {
      const instances = service.describe();
      const serving = service.serving;
      return {
        url: instances.length > 0 ? service.url : null,
        instances,
        desiredReplicas: serving?.replicas ?? null,
        note: this.note(serving?.instances, serving?.replicas),
      };
    }
    // Run by another process on this machine, or not at all.
    const stored = await this.deps.store.getService(key);
    if (!stored) return { url: null, instances: [], desiredReplicas: null };
    const instances = await Promise.all(
      (
        await this.deps.store.listInstances(key)
      ).map(async i => ({
        id: i.id,
        version: i.version,
        url: `http://localhost:${i.port}`,
        healthy:
          stored.host === this.host &&
          (
            await checkHealth(
              i.port,
              stored.serving?.healthCheckPath ?? '/',
              500,
            )
          ).healthy,
        startedAt: i.startedAt,
        restarts: i.restarts,
      })),
    );
    return {
      url: instances.length > 0 ? `http://localhost:${stored.port}` : null,
      instances,
      desiredReplicas: stored.serving?.replicas ?? null,
      note: this.note(stored.serving?.instances, stored.serving?.replicas),
    };
  }

  private note(instances?: number, replicas?: number) {
    return instances !== undefined &&
      replicas !== undefined &&
      instances < replicas
      ? `${instances} of ${replicas} replicas run locally (deployments.local.maxInstances is ${this.deps.config.maxInstances})`
      : undefined;
  }

  /** Stops everything of a service and forgets it, freeing its port. */
  async teardown(key: ServiceKey): Promise<void> {
    const service = this.services.get(keyOf(key));
    if (service) {
      await service.exclusive(async () => {
        await service.stopAll();
        await service.closeProxy();
        this.services.delete(keyOf(key));
        await this.forget(key, service.directory);
      });
      return;
    }
    const stored = await this.deps.store.getService(key);
    if (!stored) return;
    if (!(await this.mayTake(stored))) {
      throw new NotOwnedError(
        `${key.entityRef} (${key.environment}) is run by another backend process (${stored.host}, pid ${stored.ownerPid})`,
      );
    }
    // Owned by nobody (stopped cleanly, or its process died): its recorded
    // processes go if they still run.
    const taken = await this.takeOver(stored);
    await this.teardown(taken.key);
  }

  private async forget(key: ServiceKey, directory: string) {
    await this.deps.store.deleteService(key);
    await fs.rm(directory, { recursive: true, force: true });
  }

  /** Stops every instance this process runs; the next start restarts them. */
  async shutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    const services = [...this.services.values()];
    await Promise.all(
      services.map(async service => {
        await service
          .stopAll()
          .catch(error =>
            this.deps.logger.error(
              `local runtime: stopping ${service.name} failed: ${error}`,
            ),
          );
        await service.closeProxy();
      }),
    );
    this.services.clear();
    await this.deps.store.releaseServices({
      host: this.host,
      pid: process.pid,
    });
  }

  /** Ours to run: this host's, and its owner process is gone (or us). */
  private async mayTake(stored: StoredService): Promise<boolean> {
    if (stored.host !== this.host) return false;
    const owner = stored.ownerPid;
    if (owner === null || owner === process.pid || !isAlive(owner)) {
      return true;
    }
    // A live process with that id that is no Node.js process got the id
    // after a reboot.
    const commandLine = (await commandLineOf(owner)) ?? '';
    return !/node/i.test(commandLine);
  }

  /** Adopts what still serves healthy, stops the rest, opens the port. */
  private async takeOver(stored: StoredService): Promise<ServiceRuntime> {
    const key = {
      entityRef: stored.entityRef,
      environment: stored.environment,
    };
    const claimed = await this.deps.store.claimService(
      key,
      { host: this.host, pid: process.pid },
      { host: stored.host, pid: stored.ownerPid },
    );
    if (!claimed) {
      throw new NotOwnedError(
        `${key.entityRef} (${key.environment}) was taken by another backend process meanwhile`,
      );
    }
    const service = new ServiceRuntime(
      key,
      stored.port,
      stored.serving,
      this.deps,
    );
    const serving = stored.serving;
    let adopted = 0;
    for (const instance of await this.deps.store.listInstances(key)) {
      const running =
        isAlive(instance.pid) && (await runsInstance(instance.pid, instance));
      const keep =
        running &&
        serving !== null &&
        instance.deploymentId === serving.deploymentId &&
        adopted < serving.instances &&
        (await checkHealth(instance.port, serving.healthCheckPath)).healthy;
      if (keep) {
        service.adopt(instance, serving);
        adopted += 1;
        continue;
      }
      if (running) await stopProcess(instance.pid);
      await this.deps.store.deleteInstance(instance.id);
    }
    if (adopted > 0) {
      this.deps.logger.info(
        `local runtime: adopted ${adopted} running instance(s) of ${service.name}`,
      );
    }
    await this.listen(service);
    this.services.set(keyOf(key), service);
    return service;
  }

  /** Opens the stable port; moves the service if something else took it. */
  private async listen(service: ServiceRuntime) {
    try {
      await service.listen();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    const old = service.port;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await this.pickPort();
      try {
        await this.deps.store.setPort(service.key, port);
      } catch (error) {
        if (isUniqueViolation(error)) continue;
        throw error;
      }
      service.port = port;
      this.deps.logger.warn(
        `local runtime: port ${old} of ${service.name} is taken by another program; its stable URL moves to ${service.url}`,
      );
      await service.listen();
      return;
    }
    throw new Error(`no free port left for ${service.name}`);
  }

  /** The lowest port of the range no service has and nothing listens on. */
  private async pickPort(): Promise<number> {
    const { from, to } = this.deps.config.ports;
    const used = new Set(await this.deps.store.usedPorts());
    for (let port = from; port <= to; port++) {
      if (!used.has(port) && (await canListen(port))) return port;
    }
    throw new Error(
      `every port of deployments.local.ports (${from}-${to}) is taken; tear down a service or widen the range`,
    );
  }

  private async restoreAll(services: ServiceRuntime[]) {
    // One service after the other: JVMs starting at once slow each other.
    for (const service of services) {
      await service
        .exclusive(() =>
          service.restoreServing(AbortSignal.timeout(30 * 60_000), line =>
            this.deps.logger.info(`${service.name}: ${line}`),
          ),
        )
        .catch(error =>
          this.deps.logger.error(
            `local runtime: could not restart ${service.name}: ${
              error.message ?? error
            }`,
          ),
        );
    }
  }

  private async checkAll() {
    if (this.checking || this.closing) return;
    this.checking = true;
    try {
      await Promise.all(
        [...this.services.values()].map(s =>
          s
            .check()
            .catch(error =>
              this.deps.logger.warn(
                `local runtime: checking ${s.name} failed: ${error}`,
              ),
            ),
        ),
      );
    } finally {
      this.checking = false;
    }
  }
}
