import {
  previousInstances,
  Rollout,
  startHealthy,
  stopInstance,
} from './Rollout';

/** One new instance at a time, each healthy before an old one stops. */
export async function rolling(rollout: Rollout) {
  const previous = previousInstances(rollout);
  await rollout.reporter.stage('rolling', async () => {
    for (let n = 0; n < rollout.count; n++) {
      rollout.reporter.log(`instance ${n + 1} of ${rollout.count}`);
      await startHealthy(rollout);
      const old = previous.shift();
      if (old) await stopInstance(rollout, old);
    }
    for (const old of previous) await stopInstance(rollout, old);
  });
}
