import { LoggerService } from '@backstage/backend-plugin-api';
import type { RuntimeInstance } from '@paved-road/plugin-deployments-node';
import { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { LocalRuntimeConfig } from '../config';
import {
  LocalRuntimeStore,
  ServiceKey,
  ServingDeployment,
  StoredInstance,
} from '../database/LocalRuntimeStore';
import { checkHealth } from '../instances/healthCheck';
import { InstanceLauncher } from '../instances/launcher';
import { isAlive, stopProcess } from '../instances/processes';
import { logTail, spawnInstance } from '../instances/spawnInstance';
import { freePort } from '../proxy/ports';
import { StableProxy } from '../proxy/StableProxy';
import { instanceLogFile, serviceDirectory } from './paths';

/** What the runtime shares with every service. */
export interface RuntimeDeps {
  store: LocalRuntimeStore;
  launcher: InstanceLauncher;
  logger: LoggerService;
  config: LocalRuntimeConfig;
  /** How often health is checked (monitor, startup, bake). */
  healthIntervalMs: number;
  /** True once the backend shuts down: nothing new may start then. */
  closing(): boolean;
}

/** What an instance runs: one deployment's artifact. */
export interface InstanceSpec {
  deploymentId: string;
  version: string;
  artifact: string;
  memoryMiB: number;
  healthCheckPath: string;
}

export interface RunningInstance extends InstanceSpec {
  readonly id: string;
  pid: number;
  port: number;
  startedAt: string;
  restarts: number;
  /** Last health check answered 200. */
  healthy: boolean;
  /** Takes traffic through the stable URL while healthy. */
  inPool: boolean;
  /** Its process is gone. */
  exited: boolean;
  stopping: boolean;
  /** Not before this time (ms) is a crashed instance restarted again. */
  restartAfter: number;
  child?: ChildProcess;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

const cancelled = (signal: AbortSignal) => {
  if (signal.aborted) throw new Error('cancelled');
};

/**
 * One service (an entity in an environment) on this machine: its
 * instances, its stable URL, and the deployment that serves. Rollouts and
 * teardown take turns through `exclusive`.
 */
export class ServiceRuntime {
  readonly instances = new Map<string, RunningInstance>();
  private proxy?: StableProxy;
  private queue: Promise<unknown> = Promise.resolve();
  private busy = 0;

  constructor(
    readonly key: ServiceKey,
    public port: number,
    public serving: ServingDeployment | null,
    private readonly deps: RuntimeDeps,
  ) {}

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  get directory(): string {
    return serviceDirectory(this.deps.config.workDirectory, this.key);
  }

  get name(): string {
    return `${this.key.entityRef} (${this.key.environment})`;
  }

  /** True while a rollout, restore or teardown holds the service. */
  get isBusy(): boolean {
    return this.busy > 0;
  }

  /** Runs `fn` once everything queued before it has finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run.finally(() => {
      this.busy -= 1;
    });
  }

  async listen(): Promise<void> {
    this.proxy = await StableProxy.listen({
      port: this.port,
      name: this.name,
      logger: this.deps.logger,
      targets: {
        ports: () => this.poolPorts(),
        failed: port => {
          for (const i of this.instances.values()) {
            if (i.port === port) i.healthy = false;
          }
        },
      },
    });
  }

  async closeProxy(): Promise<void> {
    await this.proxy?.close();
    this.proxy = undefined;
  }

  /** The instances that take traffic now, in start order. */
  poolPorts(): number[] {
    return this.list()
      .filter(i => i.inPool && i.healthy && !i.exited && !i.stopping)
      .map(i => i.port);
  }

  list(): RunningInstance[] {
    return [...this.instances.values()].sort(
      (a, b) =>
        a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
    );
  }

  describe(): RuntimeInstance[] {
    return this.list()
      .filter(i => !i.stopping)
      .map(i => ({
        id: i.id,
        version: i.version,
        url: `http://localhost:${i.port}`,
        healthy: i.healthy && !i.exited,
        startedAt: i.startedAt,
        restarts: i.restarts,
      }));
  }

  /** Takes over an instance a previous backend process started. */
  adopt(stored: StoredInstance, spec: InstanceSpec) {
    this.instances.set(stored.id, {
      ...spec,
      id: stored.id,
      pid: stored.pid,
      port: stored.port,
      startedAt: stored.startedAt,
      restarts: stored.restarts,
      healthy: true,
      inPool: true,
      exited: false,
      stopping: false,
      restartAfter: 0,
    });
  }

  /** Starts a new instance of `spec` on a free port; not in the pool yet. */
  async start(spec: InstanceSpec): Promise<RunningInstance> {
    if (this.deps.closing()) {
      throw new Error('the backend is shutting down');
    }
    const id = randomUUID();
    const port = await freePort();
    const child = await this.spawn(spec, id, port);
    const instance: RunningInstance = {
      ...spec,
      id,
      pid: child.pid!,
      port,
      startedAt: new Date().toISOString(),
      restarts: 0,
      healthy: false,
      inPool: false,
      exited: false,
      stopping: false,
      restartAfter: 0,
    };
    this.watch(instance, child);
    this.instances.set(id, instance);
    if (this.deps.closing()) {
      // Shutdown began while it spawned; it must not outlive the backend.
      await stopProcess(instance.pid);
      this.instances.delete(id);
      throw new Error('the backend is shutting down');
    }
    await this.deps.store.insertInstance({
      ...this.key,
      id,
      deploymentId: spec.deploymentId,
      version: spec.version,
      artifact: spec.artifact,
      pid: instance.pid,
      port,
      startedAt: instance.startedAt,
      restarts: 0,
    });
    return instance;
  }

  private spawn(spec: InstanceSpec, id: string, port: number) {
    return spawnInstance({
      launcher: this.deps.launcher,
      artifact: spec.artifact,
      port,
      memoryMiB: spec.memoryMiB,
      logFile: instanceLogFile(spec.artifact, id),
    });
  }

  private watch(instance: RunningInstance, child: ChildProcess) {
    instance.child = child;
    child.once('exit', () => {
      if (instance.child !== child) return;
      instance.exited = true;
      instance.healthy = false;
    });
  }

  /**
   * Waits until the instance answers 200 on its health path; throws when
   * it exits first, does not answer in time, or the rollout is cancelled.
   */
  async waitHealthy(instance: RunningInstance, signal: AbortSignal) {
    const timeoutMs = this.deps.config.startupTimeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    for (;;) {
      cancelled(signal);
      if (instance.exited || !isAlive(instance.pid)) {
        instance.exited = true;
        throw new Error(
          `instance ${short(instance)} exited while starting${await this.tail(
            instance,
          )}`,
        );
      }
      const result = await checkHealth(instance.port, instance.healthCheckPath);
      if (result.healthy) {
        instance.healthy = true;
        return;
      }
      last = result.detail;
      // The app is up and has no such path: waiting will not change that.
      if (result.status === 404) {
        throw new Error(
          `instance ${short(instance)} answers 404 on ${
            instance.healthCheckPath
          }: this version has no such health check path`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `instance ${short(instance)} did not answer 200 on ${
            instance.healthCheckPath
          } within ${
            this.deps.config.startupTimeoutSeconds
          }s (last: ${last})${await this.tail(instance)}`,
        );
      }
      await sleep(Math.min(this.deps.healthIntervalMs, 500), signal);
    }
  }

  /**
   * Checks `instances` every health interval for `seconds` (at least
   * once) while they take traffic: one failed check or exit ends the bake.
   */
  async bake(
    instances: RunningInstance[],
    seconds: number,
    signal: AbortSignal,
    log: (line: string) => void,
  ) {
    const end = Date.now() + seconds * 1000;
    let checks = 0;
    do {
      cancelled(signal);
      for (const instance of instances) {
        const crashed = async () =>
          new Error(
            `instance ${short(
              instance,
            )} crashed during the bake${await this.tail(instance)}`,
          );
        if (instance.exited || !isAlive(instance.pid)) {
          instance.exited = true;
          throw await crashed();
        }
        const result = await checkHealth(
          instance.port,
          instance.healthCheckPath,
        );
        instance.healthy = result.healthy;
        // No HTTP answer from a dying process (reset, refused) is a crash,
        // which its log explains better than the socket error does.
        if (
          !result.healthy &&
          result.status === undefined &&
          (await this.exitsWithin(instance, 1000))
        ) {
          instance.exited = true;
          throw await crashed();
        }
        if (!result.healthy) {
          throw new Error(
            `instance ${short(
              instance,
            )} failed its health check during the bake: ${
              instance.healthCheckPath
            } answered ${result.detail}`,
          );
        }
      }
      checks += 1;
      await sleep(
        Math.max(0, Math.min(this.deps.healthIntervalMs, end - Date.now())),
        signal,
      );
    } while (Date.now() < end);
    cancelled(signal);
    log(`${instances.length} instance(s) healthy through ${checks} check(s)`);
  }

  /** Stops an instance: out of the pool first, then its process. */
  async stop(instance: RunningInstance) {
    instance.stopping = true;
    instance.inPool = false;
    await stopProcess(instance.pid);
    instance.exited = true;
    this.instances.delete(instance.id);
    await this.deps.store.deleteInstance(instance.id);
  }

  async stopAll(filter: (i: RunningInstance) => boolean = () => true) {
    await Promise.all(
      this.list()
        .filter(filter)
        .map(i => this.stop(i)),
    );
  }

  /** Records the deployment whose rollout completed as the serving one. */
  async setServing(serving: ServingDeployment | null) {
    await this.deps.store.setServing(this.key, serving);
    this.serving = serving;
  }

  servingSpec(): InstanceSpec | undefined {
    return this.serving ? { ...this.serving } : undefined;
  }

  /**
   * Brings the serving deployment back to its instance count (after a
   * failed rollout, or at start-up after the backend stopped them).
   * Resolves with how many it started; throws when one does not come up.
   */
  async restoreServing(
    signal: AbortSignal,
    log: (line: string) => void,
  ): Promise<number> {
    const serving = this.serving;
    if (!serving) return 0;
    const running = this.list().filter(
      i => i.deploymentId === serving.deploymentId && !i.exited,
    ).length;
    const missing = serving.instances - running;
    if (missing <= 0) return 0;
    try {
      await fs.access(serving.artifact);
    } catch {
      throw new Error(
        `the artifact of ${serving.version.slice(0, 7)} is gone (${
          serving.artifact
        }); deploy it again`,
      );
    }
    for (let n = 0; n < missing; n++) {
      const instance = await this.start(serving);
      log(
        `restarting ${serving.version.slice(0, 7)}: instance ${short(
          instance,
        )} on :${instance.port}`,
      );
      await this.waitHealthy(instance, signal);
      instance.inPool = true;
      log(`instance ${short(instance)} healthy, taking traffic`);
    }
    return missing;
  }

  /**
   * One pass of the monitor: refreshes health, and restarts a crashed
   * instance of the serving version (backing off) unless the service is
   * busy with a rollout.
   */
  async check() {
    const crashed: RunningInstance[] = [];
    await Promise.all(
      this.list().map(async instance => {
        if (instance.stopping) return;
        if (!instance.exited && !isAlive(instance.pid)) instance.exited = true;
        if (instance.exited) {
          instance.healthy = false;
          crashed.push(instance);
          return;
        }
        const result = await checkHealth(
          instance.port,
          instance.healthCheckPath,
        );
        if (!instance.stopping) instance.healthy = result.healthy;
      }),
    );
    const serving = this.serving;
    const restartable = crashed.filter(
      i =>
        serving &&
        i.deploymentId === serving.deploymentId &&
        i.inPool &&
        Date.now() >= i.restartAfter,
    );
    if (restartable.length === 0 || this.isBusy || this.deps.closing()) {
      return;
    }
    await this.exclusive(async () => {
      for (const instance of restartable) {
        if (!this.instances.has(instance.id) || this.deps.closing()) continue;
        await this.restart(instance);
      }
    });
  }

  /** Runs a crashed instance again (same id, next port), counting it. */
  private async restart(instance: RunningInstance) {
    const port = await freePort();
    const child = await this.spawn(instance, instance.id, port);
    instance.restarts += 1;
    // 1, 2, 4 … seconds up to a minute between restarts of a crash loop.
    instance.restartAfter =
      Date.now() + Math.min(60_000, 1000 * 2 ** instance.restarts);
    instance.pid = child.pid!;
    instance.port = port;
    instance.startedAt = new Date().toISOString();
    instance.exited = false;
    instance.healthy = false;
    this.watch(instance, child);
    this.deps.logger.warn(
      `${this.name}: instance ${short(
        instance,
      )} exited; restarted on :${port} (restart ${instance.restarts})`,
    );
    await this.deps.store.updateInstance(instance.id, {
      pid: instance.pid,
      port,
      startedAt: instance.startedAt,
      restarts: instance.restarts,
    });
  }

  /** Whether the instance's process is gone within `ms`. */
  private async exitsWithin(instance: RunningInstance, ms: number) {
    const end = Date.now() + ms;
    for (;;) {
      if (instance.exited || !isAlive(instance.pid)) return true;
      if (Date.now() >= end) return false;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  private async tail(instance: RunningInstance) {
    const text = await logTail(instanceLogFile(instance.artifact, instance.id));
    return text ? `; its last output:\n${text}` : '';
  }
}

export function short(instance: { id: string }) {
  return instance.id.slice(0, 8);
}
