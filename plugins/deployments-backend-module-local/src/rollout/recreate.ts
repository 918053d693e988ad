import {
  previousInstances,
  Rollout,
  startHealthy,
  stopInstance,
} from './Rollout';

/** Every previous instance stops, then every new one starts (at once). */
export async function recreate(rollout: Rollout) {
  const { reporter } = rollout;
  await reporter.stage('stop', async () => {
    const previous = previousInstances(rollout);
    if (previous.length === 0) reporter.log('nothing runs yet');
    await Promise.all(previous.map(old => stopInstance(rollout, old)));
  });
  await reporter.stage('start', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: rollout.count }, () => startHealthy(rollout)),
    );
    const failure = results.find(r => r.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
  });
}
