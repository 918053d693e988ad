import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { DatabaseUpgradeStore } from '../database/DatabaseUpgradeStore';
import { NewUpgradeJob } from '../database/UpgradeStore';
import { UpgradeJobRunner, UpgradeWorker } from './UpgradeWorker';

jest.setTimeout(60_000);

const config = {
  concurrency: 2,
  staleAfterMs: 60_000,
  maxAttempts: 3,
  heartbeatMs: 20,
};

function newJob(id: string, entityRef: string): NewUpgradeJob {
  return {
    id,
    entityRef,
    templateRef: 'template:default/kotlin-spring-service',
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    answers: { javaVersion: '17' },
    requestedBy: 'user:default/alice',
    author: { name: 'Alice', email: 'alice@example.com' },
  };
}

const result = {
  branch: 'paved-road/upgrade-1.1.0',
  templateCommit: 'a'.repeat(40),
  commit: 'b'.repeat(40),
  conflicts: [
    {
      path: 'README.md',
      type: 'content' as const,
      message: 'CONFLICT (content)',
    },
  ],
  changedFiles: [{ path: 'README.md', status: 'M' }],
};

describe('UpgradeWorker', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function setUp(runner: UpgradeJobRunner) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseUpgradeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const events: AuditEventInput[] = [];
    const notifications = { send: jest.fn() };
    const worker = new UpgradeWorker({
      store,
      runner,
      audit: { enqueue: async (_trx, event) => void events.push(event) },
      notifications,
      logger: mockServices.logger.mock(),
      config,
    });
    return { store, worker, events, notifications };
  }

  it('runs queued jobs with their answers and author, records the outcome, audits it and tells the requester', async () => {
    const runner = {
      run: jest.fn(async (_job, options) => {
        await options.heartbeat();
        return { outcome: 'conflicts' as const, result };
      }),
    };
    const { store, worker, events, notifications } = await setUp(runner);
    await store.createJob(newJob('j1', 'component:default/a'), new Date());

    await worker.poll();
    await worker.idle();

    expect(runner.run).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'j1' }),
      expect.objectContaining({
        answers: { javaVersion: '17' },
        author: { name: 'Alice', email: 'alice@example.com' },
      }),
    );
    await expect(store.getJob('j1')).resolves.toMatchObject({
      status: 'succeeded',
      outcome: 'conflicts',
      result,
    });
    expect(events).toEqual([
      expect.objectContaining({
        action: 'upgrade.finished',
        outcome: 'succeeded',
        actor: 'user:default/alice',
        entityRef: 'component:default/a',
        details: expect.objectContaining({
          conflicts: ['README.md'],
          branch: result.branch,
        }),
      }),
    ]);
    expect(notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: 'user:default/alice' },
        payload: expect.objectContaining({
          title: 'Upgrade of a to 1.1.0: 1 conflict to resolve',
        }),
      }),
    );
  });

  it('records a failure with its message', async () => {
    const runner = {
      run: jest.fn(async () => {
        throw new Error('The dry run skipped step publishDocs');
      }),
    };
    const { store, worker, events } = await setUp(runner);
    await store.createJob(newJob('j1', 'component:default/a'), new Date());
    await worker.poll();
    await worker.idle();
    await expect(store.getJob('j1')).resolves.toMatchObject({
      status: 'failed',
      error: 'The dry run skipped step publishDocs',
    });
    expect(events.map(e => [e.action, e.outcome])).toEqual([
      ['upgrade.finished', 'failed'],
    ]);
  });

  it('hands a running job back when the backend stops, so it is resumed rather than failed', async () => {
    let release!: () => void;
    const started = new Promise<void>(resolve => {
      release = resolve;
    });
    const runner = {
      run: jest.fn(async (_job, options) => {
        release();
        // Runs until the worker stops: the next heartbeat throws.
        for (;;) {
          await new Promise(r => setTimeout(r, 10));
          await options.heartbeat();
        }
      }),
    };
    const { store, worker, events } = await setUp(runner);
    await store.createJob(newJob('j1', 'component:default/a'), new Date());
    await worker.poll();
    await started;
    await worker.stop();
    await worker.idle();
    const job = await store.getJob('j1');
    expect(job).toMatchObject({ status: 'running', attempts: 1 });
    expect(events).toEqual([]);
    // Handed back: another replica claims it at once.
    await expect(
      store.claimNext({
        owner: 'other',
        now: new Date(),
        staleBefore: new Date(Date.now() - 60_000),
        maxAttempts: 3,
      }),
    ).resolves.toMatchObject({ jobId: 'j1', attempt: 2 });
  });
});
