import {
  previousInstances,
  Rollout,
  startHealthy,
  stopInstance,
} from './Rollout';

/**
 * The canary share of instances first (at least one), taking traffic
 * beside the previous version while health-checked for the bake period;
 * then the rest replace the previous instances one by one.
 */
export async function canary(rollout: Rollout) {
  const { reporter, count } = rollout;
  const previous = previousInstances(rollout);
  const canaries = Math.min(
    count,
    Math.max(1, Math.ceil((count * rollout.canaryPercent) / 100)),
  );

  const started = await reporter.stage('canary', async () => {
    reporter.log(
      `${canaries} of ${count} instance(s) as canary (${rollout.canaryPercent}%)`,
    );
    const instances = [];
    for (let n = 0; n < canaries; n++) {
      instances.push(await startHealthy(rollout));
    }
    return instances;
  });

  await reporter.stage('bake', () =>
    rollout.service.bake(started, rollout.bakeSeconds, reporter.signal, line =>
      reporter.log(line),
    ),
  );

  await reporter.stage('promote', async () => {
    for (let n = canaries; n < count; n++) {
      await startHealthy(rollout);
      const old = previous.shift();
      if (old) await stopInstance(rollout, old);
    }
    for (const old of previous) await stopInstance(rollout, old);
  });
}
