import type { DeploymentReporter } from '@paved-road/plugin-deployments-node';
import {
  InstanceSpec,
  RunningInstance,
  ServiceRuntime,
  short,
} from '../runtime/ServiceRuntime';

/** One rollout of a new version over a service's instances. */
export interface Rollout {
  service: ServiceRuntime;
  /** The new version. */
  spec: InstanceSpec;
  /** Instances of the new version to end with (replicas, capped). */
  count: number;
  canaryPercent: number;
  bakeSeconds: number;
  reporter: DeploymentReporter;
}

/** Instances of other versions, oldest first: the ones to replace. */
export function previousInstances(rollout: Rollout): RunningInstance[] {
  return rollout.service
    .list()
    .filter(i => i.deploymentId !== rollout.spec.deploymentId);
}

/** Starts one instance of the new version and puts it in the pool once healthy. */
export async function startHealthy(rollout: Rollout): Promise<RunningInstance> {
  const { service, spec, reporter } = rollout;
  const instance = await service.start(spec);
  reporter.log(
    `instance ${short(instance)} of ${spec.version.slice(0, 7)} starting on :${
      instance.port
    } (pid ${instance.pid}, -Xmx${spec.memoryMiB}m)`,
  );
  await service.waitHealthy(instance, reporter.signal);
  instance.inPool = true;
  reporter.log(
    `instance ${short(instance)} answers 200 on ${
      spec.healthCheckPath
    }; it takes traffic on ${service.url}`,
  );
  return instance;
}

export async function stopInstance(
  rollout: Rollout,
  instance: RunningInstance,
) {
  rollout.reporter.log(
    `stopping instance ${short(instance)} of ${instance.version.slice(
      0,
      7,
    )} (:${instance.port})`,
  );
  await rollout.service.stop(instance);
}
