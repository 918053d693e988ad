import { TestDatabases } from '@backstage/backend-test-utils';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import {
  deploymentRequest,
  get,
  isRunning,
  TestReporter,
  versionsBehind,
} from '../__testUtils__/fakeService';
import { startRuntime, tempDir } from '../__testUtils__/harness';
import { canListen } from '../proxy/ports';

jest.setTimeout(60_000);

const service = {
  entityRef: 'component:default/orders-service',
  environment: 'production',
};
const HOUR = 3_600_000;

/** The pid behind each instance URL. */
async function pidsOf(urls: string[]) {
  return Promise.all(
    urls.map(async url => (await get(url)).json.pid as number),
  );
}

describe('LocalRuntime across backend restarts', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let workDirectory: string;
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeEach(async () => {
    workDirectory = await tempDir();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await fs.rm(workDirectory, { recursive: true, force: true });
  });

  async function start(
    knex: Awaited<ReturnType<typeof databases.init>>,
    healthIntervalMs = 200,
  ) {
    const started = await startRuntime({
      knex,
      workDirectory,
      healthIntervalMs,
    });
    cleanups.push(() => started.runtime.shutdown());
    return started;
  }

  it('after a crash: adopts healthy instances of the serving version, stops the rest, keeps the URL, and a retried deployment starts over', async () => {
    const knex = await databases.init('SQLITE_3');
    // The first backend never checks health on its own here, so nothing
    // but the second one acts once the first "crashed".
    const first = await start(knex, HOUR);
    await first.provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await first.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    const [alive, killed] = await pidsOf(before.instances.map(i => i.url));

    // A rollout of v2 is under way (its canary runs) when the backend dies.
    const interrupted = deploymentRequest('v2');
    const reporter = new TestReporter();
    const inBake = new Promise<void>(resolve => {
      reporter.onStage.bake = () => {
        resolve();
        return new Promise(() => {});
      };
    });
    void first.provider.deploy(interrupted, reporter);
    await inBake;
    const canaryUrl = (
      await first.provider.getRuntime(service.entityRef, service.environment)
    ).instances.find(i => i.version === 'v2')!.url;
    const [canary] = await pidsOf([canaryUrl]);
    process.kill(killed, 'SIGKILL');
    // The crash: the stable URL goes with the process; instances stay.
    await first.runtime.find(service)!.closeProxy();

    const second = await start(knex);

    expect(isRunning(alive)).toBe(true);
    expect(isRunning(canary)).toBe(false);
    await second.runtime.whenRestored();
    const after = await second.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    expect(after.url).toBe(before.url);
    expect(after.instances.map(i => [i.version, i.healthy])).toEqual([
      ['v1', true],
      ['v1', true],
    ]);
    const pids = await pidsOf(after.instances.map(i => i.url));
    expect(pids).toContain(alive);
    expect(pids).not.toContain(killed);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v1']);
    const stored = await second.store.listInstances();
    expect(stored.map(i => i.pid).sort()).toEqual([...pids].sort());

    // The engine asks again for the interrupted deployment.
    const retry = new TestReporter();
    await expect(second.provider.deploy(interrupted, retry)).resolves.toEqual({
      status: 'succeeded',
    });
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v2']);
  });

  it('a clean shutdown stops every instance and frees the port; the next start runs the serving version again', async () => {
    const knex = await databases.init('SQLITE_3');
    const first = await start(knex);
    await first.provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await first.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    const pids = await pidsOf(before.instances.map(i => i.url));
    const port = Number(before.url!.split(':')[2]);

    await first.runtime.shutdown();

    expect(pids.map(isRunning)).toEqual([false, false]);
    await expect(canListen(port)).resolves.toBe(true);
    await expect(first.store.listInstances()).resolves.toEqual([]);
    await expect(first.store.listServices()).resolves.toEqual([
      expect.objectContaining({ port, ownerPid: null }),
    ]);

    const second = await start(knex);
    await second.runtime.whenRestored();
    const after = await second.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    expect(after.url).toBe(before.url);
    expect(after.instances.map(i => [i.version, i.healthy])).toEqual([
      ['v1', true],
      ['v1', true],
    ]);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v1']);
  });

  it('leaves a service alone while another backend process on this machine runs it', async () => {
    const knex = await databases.init('SQLITE_3');
    // Stands in for the other backend: a live Node.js process.
    const other = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)'],
      {
        stdio: 'ignore',
      },
    );
    cleanups.push(() => {
      other.kill('SIGKILL');
    });
    const first = await start(knex);
    await first.provider.deploy(deploymentRequest('v1'), new TestReporter());
    await first.runtime.shutdown();
    await knex('local_runtime_services').update({
      owner_pid: other.pid,
      host: os.hostname(),
    });

    const second = await start(knex);
    const outcome = await second.provider.deploy(
      deploymentRequest('v2'),
      new TestReporter(),
    );

    expect(outcome).toEqual({
      status: 'failed',
      reason: expect.stringMatching(
        /is run by another backend process \(.*, pid \d+\)/,
      ),
    });
    await expect(
      second.provider.teardown(service.entityRef, service.environment),
    ).rejects.toThrow(/another backend process/);

    // Once that process is gone, the service is this one's.
    other.kill('SIGKILL');
    await new Promise(resolve => other.once('exit', resolve));
    await expect(
      second.provider.deploy(deploymentRequest('v2'), new TestReporter()),
    ).resolves.toEqual({ status: 'succeeded' });
  });

  it('moves the stable URL when another program took its port meanwhile', async () => {
    const knex = await databases.init('SQLITE_3');
    const first = await start(knex);
    await first.provider.deploy(deploymentRequest('v1'), new TestReporter());
    const before = await first.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    await first.runtime.shutdown();
    const port = Number(before.url!.split(':')[2]);
    const squatter = net.createServer();
    await new Promise<void>(resolve =>
      squatter.listen(port, '127.0.0.1', resolve),
    );
    cleanups.push(() => new Promise<void>(r => squatter.close(() => r())));

    const second = await start(knex);
    await second.runtime.whenRestored();

    const after = await second.provider.getRuntime(
      service.entityRef,
      service.environment,
    );
    expect(after.url).not.toBe(before.url);
    expect([...(await versionsBehind(after.url!)).keys()]).toEqual(['v1']);
    await expect(second.store.listServices()).resolves.toEqual([
      expect.objectContaining({ port: Number(after.url!.split(':')[2]) }),
    ]);
  });
});
