import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import knexFactory, { Knex } from 'knex';
import { ScriptedProvider } from '../__testUtils__/ScriptedProvider';
import { DatabaseDeploymentRunsStore } from '../database/DatabaseDeploymentRunsStore';
import { NewDeploymentRun } from '../database/DeploymentRunsStore';
import { DeploymentNotifier } from './DeploymentNotifier';
import { DeploymentRunner } from './DeploymentRunner';
import { RunnerConfig } from './runnerConfig';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders-kt';
const SHA = 'c'.repeat(40);
const CONFIG: RunnerConfig = {
  pollIntervalMs: 60_000,
  heartbeatIntervalMs: 50,
  staleAfterMs: 30_000,
  maxAttempts: 3,
  concurrency: 2,
};

function newRun(overrides: Partial<NewDeploymentRun> = {}): NewDeploymentRun {
  return {
    id: 'run-1',
    entityRef: ORDERS,
    environment: 'production',
    kind: 'deploy',
    ref: 'main',
    commitSha: SHA,
    committedAt: '2026-03-01T09:00:00.000Z',
    previousCommitSha: null,
    repository: {
      cloneUrl: 'http://localhost:7007/api/local-git/orders-kt.git',
      defaultBranch: 'main',
    },
    settings: DEFAULT_DEPLOYMENT_SETTINGS,
    settingsVersion: 1,
    triggeredBy: 'user:default/alice',
    requestedAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('DeploymentRunner', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    // Last in, first out: runners stop before their clients close.
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseDeploymentRunsStore.create({
      database: mockServices.database({ knex }),
    });
    const provider = new ScriptedProvider();
    const audit: AuditEventInput[] = [];
    const signals = { publish: jest.fn(async () => {}) };
    const notifications = { send: jest.fn(async () => {}) };
    const notifier = new DeploymentNotifier({
      signals,
      notifications,
      logger: mockServices.logger.mock(),
    });

    /**
     * A runner as one backend replica has it. On PostgreSQL each gets its
     * own client (connections), as separate processes would; SQLite's test
     * database exists in this process only.
     */
    async function runner(
      options: { now?: () => Date; config?: Partial<RunnerConfig> } = {},
    ) {
      let runnerStore = store;
      if (databaseId !== 'SQLITE_3') {
        const client: Knex = knexFactory(knex.client.config);
        cleanups.push(() => client.destroy());
        runnerStore = await DatabaseDeploymentRunsStore.create({
          database: mockServices.database({ knex: client }),
        });
      }
      const created = new DeploymentRunner({
        store: runnerStore,
        provider,
        notifier,
        audit: {
          enqueue: async (_trx, event) => {
            audit.push(event);
          },
        },
        logger: mockServices.logger.mock(),
        config: { ...CONFIG, ...options.config },
        now: options.now,
      });
      cleanups.push(() => created.stop());
      return created;
    }

    return { store, provider, audit, signals, notifications, runner };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('two runners on one database run a deployment once', async () => {
      const { store, provider, audit, runner, notifications } = await setUp(
        databaseId,
      );
      const [a, b] = [await runner(), await runner()];
      await store.createRun(newRun());

      await Promise.all([a.poll(), b.poll(), a.poll(), b.poll()]);
      await Promise.all([a.idle(), b.idle()]);

      expect(provider.calls.map(c => c.deploymentId)).toEqual(['run-1']);
      expect(provider.calls[0]).toEqual({
        deploymentId: 'run-1',
        entityRef: ORDERS,
        environment: 'production',
        ref: 'main',
        commitSha: SHA,
        repository: {
          cloneUrl: 'http://localhost:7007/api/local-git/orders-kt.git',
          defaultBranch: 'main',
        },
        settings: DEFAULT_DEPLOYMENT_SETTINGS,
        previousCommitSha: undefined,
      });
      const run = await store.getRun('run-1');
      expect(run).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        reason: null,
        finishedAt: expect.any(String),
      });
      expect([a.owner, b.owner]).toContain(run?.claimedBy);
      await expect(store.listStages('run-1')).resolves.toEqual([
        expect.objectContaining({ name: 'build', status: 'succeeded' }),
        expect.objectContaining({ name: 'canary', status: 'succeeded' }),
        expect.objectContaining({ name: 'promote', status: 'succeeded' }),
      ]);
      const lines = await store.readLogs('run-1', { after: 0, limit: 10 });
      expect(lines.map(l => [l.seq, l.line])).toEqual([
        [1, 'Building ccccccc'],
        [2, 'BUILD SUCCESS'],
        [3, 'Canary of 2 replicas'],
      ]);
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'deployment.finished',
          outcome: 'succeeded',
          actor: 'user:default/alice',
          entityRef: ORDERS,
          summary: 'Deployed ccccccc to production',
          details: expect.objectContaining({
            deploymentId: 'run-1',
            commitSha: SHA,
            status: 'succeeded',
          }),
        }),
      ]);
      // Left for the audit backend to fill from the catalog.
      expect(audit[0]).not.toHaveProperty('owner');
      expect(notifications.send).toHaveBeenCalledTimes(1);
      expect(notifications.send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: 'user:default/alice' },
        payload: expect.objectContaining({
          title: 'orders-kt: deployed (ccccccc to production)',
          link: '/catalog/default/component/orders-kt/deployments',
          severity: 'normal',
          topic: 'deployments',
        }),
      });
    });

    it('publishes a signal on every status and stage change', async () => {
      const { store, runner, signals } = await setUp(databaseId);
      const a = await runner();
      await store.createRun(newRun());

      await a.poll();
      await a.idle();

      const messages = (signals.publish.mock.calls as any[]).map(
        ([signal]) => signal,
      );
      expect(
        new Set(messages.map(m => `${m.channel} ${m.recipients.type}`)),
      ).toEqual(new Set([`deployments:${ORDERS} broadcast`]));
      expect(
        messages.map(({ message: m }) =>
          m.type === 'stage'
            ? `${m.stage.name} ${m.stage.status}`
            : `status ${m.status}`,
        ),
      ).toEqual([
        'status in-progress',
        'build running',
        'build succeeded',
        'canary running',
        'canary succeeded',
        'promote running',
        'promote succeeded',
        'status succeeded',
      ]);
    });

    it('resumes a deployment whose runner died, with the same id, after its heartbeat went stale', async () => {
      const { store, provider, runner } = await setUp(databaseId);
      await store.createRun(newRun());
      // A replica claimed it, started building, logged, and died.
      const t0 = Date.now();
      const dead = await store.claimNext({
        owner: 'dead-replica',
        now: new Date(t0),
        staleBefore: new Date(t0 - 30_000),
        maxAttempts: 3,
      });
      await store.startStage(dead!, 'build', new Date(t0));
      await store.appendLogs('run-1', [
        { seq: 1, at: new Date(t0).toISOString(), line: 'Building, then…' },
      ]);

      // Within staleAfter nothing happens...
      const soon = await runner({ now: () => new Date(t0 + 10_000) });
      await soon.poll();
      expect(provider.calls).toEqual([]);

      // ...after it, another runner resumes it.
      const later = await runner({ now: () => new Date(t0 + 31_000) });
      await later.poll();
      await later.idle();

      expect(provider.calls.map(c => c.deploymentId)).toEqual(['run-1']);
      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'succeeded',
        attempts: 2,
        claimedBy: later.owner,
      });
      const stages = await store.listStages('run-1');
      expect(stages.map(s => [s.name, s.attempt, s.status, s.error])).toEqual([
        ['build', 1, 'failed', 'interrupted: the backend running it stopped'],
        ['build', 2, 'succeeded', null],
        ['canary', 2, 'succeeded', null],
        ['promote', 2, 'succeeded', null],
      ]);
      // The log reads on after what the dead runner wrote.
      const lines = await store.readLogs('run-1', { after: 0, limit: 10 });
      expect(lines.map(l => `${l.seq} ${l.line}`).slice(0, 3)).toEqual([
        '1 Building, then…',
        '2 Resuming after the backend that ran it stopped (attempt 2 of 3)',
        '3 Building ccccccc',
      ]);
    });

    it('ends a deployment as failed, interrupted, once its attempts are used up', async () => {
      const { store, provider, runner, audit, notifications } = await setUp(
        databaseId,
      );
      await store.createRun(newRun());
      const t0 = Date.now();
      for (let i = 0; i < 2; i++) {
        await store.claimNext({
          owner: `dead-${i}`,
          now: new Date(t0 + i * 60_000),
          staleBefore: new Date(t0 + i * 60_000 - 30_000),
          maxAttempts: 2,
        });
      }

      const a = await runner({
        now: () => new Date(t0 + 120_000),
        config: { maxAttempts: 2 },
      });
      await a.poll();
      await a.idle();

      expect(provider.calls).toEqual([]);
      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'failed',
        reason: 'interrupted: the backend running it stopped 2 times',
      });
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'deployment.finished',
          outcome: 'failed',
          summary:
            'Deployment of ccccccc to production interrupted: the backend running it stopped 2 times',
        }),
      ]);
      expect(notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'orders-kt: deployment failed (ccccccc to production)',
            severity: 'high',
          }),
        }),
      );
    });

    it('hands a deployment back when the backend stops, and another runner resumes it at once', async () => {
      const { store, provider, runner, audit } = await setUp(databaseId);
      provider.holding = true;
      const a = await runner();
      await store.createRun(newRun());
      await a.poll();
      await provider.whenHeld('run-1');

      await a.stop();

      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'in-progress',
        heartbeatAt: new Date(0).toISOString(),
      });
      expect(audit).toEqual([]);

      provider.holding = false;
      const b = await runner();
      await b.poll();
      await b.idle();
      expect(provider.calls.map(c => c.deploymentId)).toEqual([
        'run-1',
        'run-1',
      ]);
      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'succeeded',
        attempts: 2,
      });
    });

    it('a cancel asked on another replica aborts the running deployment', async () => {
      const { store, provider, runner, notifications } = await setUp(
        databaseId,
      );
      provider.holding = true;
      const a = await runner();
      await store.createRun(newRun());
      await a.poll();
      await provider.whenHeld('run-1');

      await store.requestCancel('run-1', 'user:default/bob', new Date());
      await a.idle();

      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'rolled-back',
        reason:
          'cancelled by user:default/bob: canary failed: Cancelled by user:default/bob',
        cancelRequestedBy: 'user:default/bob',
      });
      expect(notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'orders-kt: deployment rolled back (ccccccc to production)',
          }),
        }),
      );
    });

    it('records a failed health check as rolled back with its reason, and a throwing provider as failed', async () => {
      const { store, provider, runner } = await setUp(databaseId);
      const a = await runner();
      provider.unhealthy.add(SHA);
      await store.createRun(newRun());
      await a.poll();
      await a.idle();
      await expect(store.getRun('run-1')).resolves.toMatchObject({
        status: 'rolled-back',
        reason: 'canary failed: /actuator/health answered 503',
      });

      jest
        .spyOn(provider, 'deploy')
        .mockRejectedValueOnce(new Error('mvn: command not found'));
      await store.createRun(newRun({ id: 'run-2' }));
      await a.poll();
      await a.idle();
      await expect(store.getRun('run-2')).resolves.toMatchObject({
        status: 'failed',
        reason: 'mvn: command not found',
      });
      const lines = await store.readLogs('run-2', { after: 0, limit: 10 });
      expect(lines.map(l => l.line)).toEqual([
        'failed: mvn: command not found',
      ]);
    });

    it('runs at most `concurrency` deployments at once', async () => {
      const { store, provider, runner } = await setUp(databaseId);
      provider.holding = true;
      const a = await runner({ config: { concurrency: 1 } });
      await store.createRun(newRun({ id: 'prod' }));
      await store.createRun(newRun({ id: 'staging', environment: 'staging' }));

      await a.poll();
      await provider.whenHeld('prod');
      await a.poll();
      expect(provider.calls.map(c => c.deploymentId)).toEqual(['prod']);
      await expect(store.getRun('staging')).resolves.toMatchObject({
        status: 'pending',
      });

      provider.release('prod');
      // The freed slot takes the next one without waiting for a poll.
      await provider.whenHeld('staging');
      provider.release('staging');
      await a.idle();
      await expect(store.getRun('staging')).resolves.toMatchObject({
        status: 'succeeded',
      });
    });
  });
});
