import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs/promises';
import {
  deploymentRequest,
  get,
  settings,
  TestReporter,
  versionsBehind,
} from './__testUtils__/fakeService';
import { startRuntime, tempDir } from './__testUtils__/harness';
import { canListen } from './proxy/ports';

jest.setTimeout(60_000);

/*
 * Real processes (a small Node.js server stands in for the jar), a real
 * stable URL and a SQLite database; only Maven is left out.
 */
describe('LocalDeploymentProvider', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let workDirectory: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    workDirectory = await tempDir();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await fs.rm(workDirectory, { recursive: true, force: true });
  });

  async function setup(
    options: Partial<Parameters<typeof startRuntime>[0]> = {},
  ) {
    const knex = await databases.init('SQLITE_3');
    const started = await startRuntime({ knex, workDirectory, ...options });
    cleanups.push(() => started.runtime.shutdown());
    return { knex, ...started };
  }

  const pids = async (
    provider: Awaited<ReturnType<typeof setup>>['provider'],
    environment = 'production',
  ) => {
    const runtime = await provider.getRuntime(
      'component:default/orders-service',
      environment,
    );
    return runtime;
  };

  it('rolls out a first canary deployment behind one stable URL', async () => {
    const { provider, launcher } = await setup();
    const reporter = new TestReporter();

    const outcome = await provider.deploy(deploymentRequest('v1'), reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(reporter.stageNames).toEqual(['build', 'canary', 'bake', 'promote']);
    const runtime = await pids(provider);
    expect(runtime.url).toMatch(/^http:\/\/localhost:281\d\d$/);
    expect(runtime.instances).toHaveLength(2);
    expect(runtime.instances.every(i => i.healthy && i.version === 'v1')).toBe(
      true,
    );
    expect(runtime.desiredReplicas).toBe(2);
    expect(runtime.note).toBeUndefined();
    // Round robin: both instances answer through the stable URL.
    const behind = await versionsBehind(runtime.url!);
    expect([...behind.keys()]).toEqual(['v1']);
    expect(behind.get('v1')!.size).toBe(2);
    // The memory setting reaches the instance, capped by config.
    expect(launcher.memory).toEqual([512, 512]);
  });

  it('gives the canary its share of traffic during the bake, then replaces the previous version', async () => {
    const { provider } = await setup({ config: { bakeSeconds: 2 } });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await pids(provider);

    const reporter = new TestReporter();
    let duringBake: Map<string, Set<number>> | undefined;
    reporter.onStage.bake = async () => {
      duringBake = await versionsBehind(before.url!, 9);
    };
    const outcome = await provider.deploy(deploymentRequest('v2'), reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    // Two old instances and one canary share the traffic.
    expect(duringBake!.get('v1')!.size).toBe(2);
    expect(duringBake!.get('v2')!.size).toBe(1);
    const after = await pids(provider);
    expect(after.url).toBe(before.url);
    expect(after.instances.map(i => i.version)).toEqual(['v2', 'v2']);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v2']);
    // Old ports no longer answer: their processes are gone.
    for (const old of before.instances) {
      await expect(get(old.url)).rejects.toThrow();
    }
  });

  it('rolls back when the new version fails its health check, the previous one still answering', async () => {
    const { provider } = await setup({ versions: { bad: { health: 500 } } });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await pids(provider);

    const reporter = new TestReporter();
    const outcome = await provider.deploy(deploymentRequest('bad'), reporter);

    expect(outcome).toEqual({
      status: 'rolled-back',
      reason: expect.stringMatching(
        /did not answer 200 on \/actuator\/health within 5s \(last: HTTP 500\)/,
      ),
    });
    expect(reporter.stageNames).toEqual(['build', 'canary', 'rollback']);
    const after = await pids(provider);
    expect(after.instances).toEqual(before.instances);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v1']);
  }, 30_000);

  it('rolls back at once when the health check path does not exist (404)', async () => {
    const { provider } = await setup({ versions: { nopath: { health: 404 } } });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const started = Date.now();

    const outcome = await provider.deploy(
      deploymentRequest('nopath'),
      new TestReporter(),
    );

    expect(outcome).toEqual({
      status: 'rolled-back',
      reason: expect.stringMatching(
        /answers 404 on \/actuator\/health: this version has no such health check path/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('rolls back when a canary crashes during the bake', async () => {
    const { provider } = await setup({
      versions: { crashy: { crashAfterMs: 1200 } },
      config: { bakeSeconds: 3 },
    });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());

    const reporter = new TestReporter();
    const outcome = await provider.deploy(
      deploymentRequest('crashy'),
      reporter,
    );

    expect(outcome).toMatchObject({
      status: 'rolled-back',
      reason: expect.stringMatching(/crashed during the bake[\s\S]*crashing/),
    });
    expect(reporter.stages.find(s => s.name === 'bake')?.failed).toMatch(
      /crashed/,
    );
    const after = await pids(provider);
    expect(after.instances.map(i => i.version)).toEqual(['v1', 'v1']);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v1']);
  });

  it('fails a first deployment whose health check fails, leaving nothing running', async () => {
    const { provider } = await setup({ versions: { bad: { health: 503 } } });
    const reporter = new TestReporter();

    const outcome = await provider.deploy(deploymentRequest('bad'), reporter);

    expect(outcome).toMatchObject({ status: 'failed' });
    expect(reporter.lines).toContain('nothing served before this deployment');
    expect(await pids(provider)).toMatchObject({ url: null, instances: [] });
  });

  it('fails on a build failure without touching what serves', async () => {
    const { provider } = await setup({
      versions: { broken: { buildError: 'COMPILATION ERROR' } },
    });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await pids(provider);

    const reporter = new TestReporter();
    const outcome = await provider.deploy(
      deploymentRequest('broken'),
      reporter,
    );

    expect(outcome).toEqual({
      status: 'failed',
      reason: 'build failed: COMPILATION ERROR',
    });
    expect(reporter.stageNames).toEqual(['build']);
    expect(await pids(provider)).toEqual(before);
  });

  it('rolling: one new instance at a time, each healthy before an old one stops', async () => {
    const { provider } = await setup();
    const rolling = settings({ rollout: { strategy: 'rolling' } });
    await provider.deploy(
      deploymentRequest('v1', { settings: rolling }),
      new TestReporter(),
    );

    const reporter = new TestReporter();
    const outcome = await provider.deploy(
      deploymentRequest('v2', { settings: rolling }),
      reporter,
    );

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(reporter.stageNames).toEqual(['build', 'rolling']);
    const steps = reporter.lines
      .map(line => /(starting|answers 200|stopping)/.exec(line)?.[1])
      .filter(Boolean);
    expect(steps).toEqual([
      'starting',
      'answers 200',
      'stopping',
      'starting',
      'answers 200',
      'stopping',
    ]);
    expect(reporter.lines.filter(l => l.startsWith('stopping'))).toEqual([
      expect.stringContaining('of v1'),
      expect.stringContaining('of v1'),
    ]);
  });

  it('rolling: a failure half way brings the previous version back to its full count', async () => {
    const { provider } = await setup({
      versions: { half: { healthyInstances: 1 } },
    });
    const rolling = settings({ rollout: { strategy: 'rolling' } });
    await provider.deploy(
      deploymentRequest('v1', { settings: rolling }),
      new TestReporter(),
    );

    const reporter = new TestReporter();
    const outcome = await provider.deploy(
      deploymentRequest('half', { settings: rolling }),
      reporter,
    );

    expect(outcome).toMatchObject({ status: 'rolled-back' });
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/v1 serves .* \(1 instance\(s\) restarted\)/),
    );
    const after = await pids(provider);
    expect(after.instances.map(i => [i.version, i.healthy])).toEqual([
      ['v1', true],
      ['v1', true],
    ]);
  });

  it('recreate: stops every previous instance, then starts the new ones', async () => {
    const { provider } = await setup();
    const recreate = settings({ rollout: { strategy: 'recreate' } });
    await provider.deploy(
      deploymentRequest('v1', { settings: recreate }),
      new TestReporter(),
    );

    const reporter = new TestReporter();
    const outcome = await provider.deploy(
      deploymentRequest('v2', { settings: recreate }),
      reporter,
    );

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(reporter.stageNames).toEqual(['build', 'stop', 'start']);
    const steps = reporter.lines
      .map(line => /^(stopping|instance \S+ of \S+ starting)/.exec(line)?.[1])
      .filter(Boolean)
      .map(step => step!.split(' ')[0]);
    expect(steps).toEqual(['stopping', 'stopping', 'instance', 'instance']);
    expect((await pids(provider)).instances.map(i => i.version)).toEqual([
      'v2',
      'v2',
    ]);
  });

  it('runs at most deployments.local.maxInstances instances and says so', async () => {
    const { provider, launcher } = await setup({
      config: { maxInstances: 2, maxMemoryMiB: 256 },
    });
    const reporter = new TestReporter();

    await provider.deploy(
      deploymentRequest('v1', {
        settings: settings({ replicas: 4, memoryMiB: 1024 }),
      }),
      reporter,
    );

    const runtime = await pids(provider);
    expect(runtime.instances).toHaveLength(2);
    expect(runtime.desiredReplicas).toBe(4);
    expect(runtime.note).toMatch(/^2 of 4 replicas run locally/);
    expect(reporter.lines).toContainEqual(
      expect.stringMatching(/^2 of 4 replicas run locally/),
    );
    expect(launcher.memory).toEqual([256, 256]);
  });

  it('rolls back when cancelled during the bake', async () => {
    const { provider } = await setup({ config: { bakeSeconds: 4 } });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());

    const reporter = new TestReporter();
    reporter.onStage.bake = () => {
      setTimeout(() => reporter.controller.abort(), 300);
    };
    const started = Date.now();
    const outcome = await provider.deploy(deploymentRequest('v2'), reporter);

    expect(outcome).toEqual({ status: 'rolled-back', reason: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await pids(provider)).instances.map(i => i.version)).toEqual([
      'v1',
      'v1',
    ]);
  });

  it('stops a cancelled build without touching what serves', async () => {
    const { provider } = await setup({
      versions: { slow: { buildMs: 20_000 } },
    });
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await pids(provider);

    const reporter = new TestReporter();
    setTimeout(() => reporter.controller.abort(), 200);
    const outcome = await provider.deploy(deploymentRequest('slow'), reporter);

    expect(outcome).toEqual({
      status: 'failed',
      reason: 'cancelled during the build',
    });
    expect(await pids(provider)).toEqual(before);
  });

  it('keeps environments apart, each with its own stable URL', async () => {
    const { provider } = await setup();
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    await provider.deploy(
      deploymentRequest('preview', {
        environment: 'preview-feature-x',
        settings: settings({ replicas: 1 }),
      }),
      new TestReporter(),
    );

    const production = await pids(provider);
    const preview = await pids(provider, 'preview-feature-x');
    expect(preview.url).not.toBe(production.url);
    expect([...(await versionsBehind(production.url!)).keys()]).toEqual(['v1']);
    expect([...(await versionsBehind(preview.url!)).keys()]).toEqual([
      'preview',
    ]);
  });

  it('teardown stops every instance and frees the port', async () => {
    const { provider, store } = await setup();
    await provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await pids(provider);
    const port = Number(before.url!.split(':')[2]);

    await provider.teardown('component:default/orders-service', 'production');

    expect(await pids(provider)).toEqual({
      url: null,
      instances: [],
      desiredReplicas: null,
    });
    await expect(canListen(port)).resolves.toBe(true);
    for (const instance of before.instances) {
      await expect(get(instance.url)).rejects.toThrow();
    }
    await expect(store.listServices()).resolves.toEqual([]);
    await expect(store.listInstances()).resolves.toEqual([]);
    await expect(fs.readdir(workDirectory)).resolves.toEqual([]);
    // A teardown of what does not run is fine.
    await provider.teardown('component:default/orders-service', 'production');
  });

  it('restarts an instance of the serving version that crashes, counting it', async () => {
    const { provider } = await setup({ versions: { v1: {} } });
    await provider.deploy(
      deploymentRequest('v1', { settings: settings({ replicas: 1 }) }),
      new TestReporter(),
    );
    const [instance] = (await pids(provider)).instances;
    const pid = Number((await get(`${instance.url}/`)).json.pid);

    process.kill(pid, 'SIGKILL');

    let after = await pids(provider);
    const deadline = Date.now() + 10_000;
    while (
      Date.now() < deadline &&
      !(after.instances[0]?.restarts === 1 && after.instances[0].healthy)
    ) {
      await new Promise(r => setTimeout(r, 100));
      after = await pids(provider);
    }
    expect(after.instances).toEqual([
      expect.objectContaining({ id: instance.id, restarts: 1, healthy: true }),
    ]);
    expect((await get(`${after.url}/`)).json.pid).not.toBe(pid);
  });

  it('answers a repeated deployment that already rolled out without redoing it', async () => {
    const { provider, builder } = await setup();
    const request = deploymentRequest('v1');
    await provider.deploy(request, new TestReporter());
    const before = await pids(provider);

    const reporter = new TestReporter();
    const outcome = await provider.deploy(request, reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(reporter.lines).toEqual([
      expect.stringMatching(/^already rolled out: 2 instance\(s\) of v1 serve/),
    ]);
    expect(builder.builds).toEqual(['v1']);
    expect(await pids(provider)).toEqual(before);
  });
});
