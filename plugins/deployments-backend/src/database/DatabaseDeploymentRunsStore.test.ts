import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import knexFactory, { Knex } from 'knex';
import { DatabaseDeploymentRunsStore } from './DatabaseDeploymentRunsStore';
import { DatabaseDeploymentsStore } from './DatabaseDeploymentsStore';
import { NewDeploymentRun } from './DeploymentRunsStore';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders-service';
const SHA_1 = 'a'.repeat(40);
const SHA_2 = 'b'.repeat(40);
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function newRun(overrides: Partial<NewDeploymentRun> = {}): NewDeploymentRun {
  return {
    id: 'run-1',
    entityRef: ORDERS,
    environment: 'production',
    kind: 'deploy',
    ref: 'main',
    commitSha: SHA_1,
    committedAt: '2026-03-01T09:00:00.000Z',
    previousCommitSha: null,
    repository: {
      cloneUrl: 'http://localhost:7007/api/local-git/orders-service.git',
      defaultBranch: 'main',
    },
    settings: DEFAULT_DEPLOYMENT_SETTINGS,
    settingsVersion: 1,
    triggeredBy: 'user:default/alice',
    requestedAt: T0.toISOString(),
    ...overrides,
  };
}

describe('DatabaseDeploymentRunsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const runs = await DatabaseDeploymentRunsStore.create({ database });
    const history = await DatabaseDeploymentsStore.create({ database });
    return { knex, runs, history };
  }

  /**
   * A second client on the same database, as a second replica has: its own
   * connections on PostgreSQL. SQLite's test database lives in this process
   * only, so there the replicas share the one client.
   */
  async function secondReplica(databaseId: TestDatabaseId, knex: Knex) {
    if (databaseId === 'SQLITE_3') {
      return { runs: undefined, destroy: undefined };
    }
    const other = knexFactory(knex.client.config);
    const runs = await DatabaseDeploymentRunsStore.create({
      database: mockServices.database({ knex: other }),
    });
    return { runs, destroy: () => other.destroy() };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('stores a pending run with everything a runner needs', async () => {
      const { runs, history } = await createStore(databaseId);

      await runs.createRun(newRun({ previousCommitSha: SHA_2 }));

      await expect(runs.getRun('run-1')).resolves.toEqual({
        id: 'run-1',
        entityRef: ORDERS,
        environment: 'production',
        version: SHA_1,
        status: 'pending',
        strategy: 'canary',
        triggeredBy: 'user:default/alice',
        startedAt: T0.toISOString(),
        finishedAt: null,
        source: 'portal',
        kind: 'deploy',
        ref: 'main',
        commitSha: SHA_1,
        committedAt: '2026-03-01T09:00:00.000Z',
        previousCommitSha: SHA_2,
        repository: {
          cloneUrl: 'http://localhost:7007/api/local-git/orders-service.git',
          defaultBranch: 'main',
        },
        settings: DEFAULT_DEPLOYMENT_SETTINGS,
        settingsVersion: 1,
        reason: null,
        attempts: 0,
        cancelRequestedBy: null,
        cancelRequestedAt: null,
        claimedBy: null,
        heartbeatAt: null,
      });
      // The history lists it as a real deployment.
      await expect(
        history.listDeployments(ORDERS, { limit: 5 }),
      ).resolves.toEqual([
        expect.objectContaining({
          id: 'run-1',
          source: 'portal',
          commitSha: SHA_1,
          reason: null,
        }),
      ]);
      await expect(runs.getActiveRun(ORDERS, 'production')).resolves.toEqual(
        expect.objectContaining({ id: 'run-1' }),
      );
      await expect(runs.getRun('nope')).resolves.toBeUndefined();
    });

    it('refuses a second unfinished run of an entity and environment with a ConflictError, and rolls its transaction back', async () => {
      const { runs, history } = await createStore(databaseId);
      await runs.createRun(newRun());
      const inTransaction = jest.fn(async (trx: Knex.Transaction) => {
        await trx('deployment_settings').insert({
          entity_ref: ORDERS,
          version: 99,
          settings: '{}',
          created_by: 'user:default/bob',
          created_at: new Date(),
        });
      });

      await expect(
        runs.createRun(newRun({ id: 'run-2' }), inTransaction),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('is pending (run-1)'),
      });
      await expect(history.listSettingsVersions(ORDERS)).resolves.toEqual([]);

      // Another environment is independent.
      await runs.createRun(newRun({ id: 'run-3', environment: 'staging' }));
    });

    it('sample history in progress never blocks, and is never claimed', async () => {
      const { runs, history } = await createStore(databaseId);
      await history.insertDeployments([
        {
          id: 'sample-1',
          entityRef: ORDERS,
          environment: 'production',
          version: '1.4.0',
          status: 'in-progress',
          strategy: 'canary',
          triggeredBy: 'user:default/alice',
          startedAt: '2026-01-01T10:00:00.000Z',
          finishedAt: null,
        },
      ]);
      await runs.createRun(newRun());

      const claim = await runs.claimNext({
        owner: 'a',
        now: T0,
        staleBefore: at(3600),
        maxAttempts: 3,
      });
      expect(claim?.deploymentId).toBe('run-1');
      await runs.finishRun(claim!, { status: 'succeeded', reason: null }, T0);
      await expect(
        runs.claimNext({
          owner: 'a',
          now: T0,
          staleBefore: at(3600 * 24 * 365),
          maxAttempts: 3,
        }),
      ).resolves.toBeUndefined();
      await expect(runs.requestCancel('sample-1', 'bob', T0)).rejects.toThrow(
        /sample history/,
      );
    });

    it('claims the oldest pending run exactly once among concurrent claimers', async () => {
      const { knex, runs } = await createStore(databaseId);
      const replica = await secondReplica(databaseId, knex);
      const other = replica.runs ?? runs;
      await runs.createRun(
        newRun({ id: 'older', requestedAt: at(-60).toISOString() }),
      );
      await runs.createRun(newRun({ id: 'newer', environment: 'staging' }));

      try {
        const claims = await Promise.all(
          ['a', 'b', 'c', 'd'].map((owner, i) =>
            (i % 2 ? other : runs).claimNext({
              owner,
              now: T0,
              staleBefore: at(-30),
              maxAttempts: 3,
            }),
          ),
        );
        const taken = claims.filter(Boolean).map(c => c!.deploymentId);
        // Each run once, whoever got it; the other claimers got nothing.
        expect(taken.sort()).toEqual(['newer', 'older']);
        expect(claims.filter(c => c === undefined)).toHaveLength(2);
        expect(claims.find(c => c?.deploymentId === 'older')).toMatchObject({
          attempt: 1,
          resumed: false,
        });
        await expect(runs.getRun('older')).resolves.toMatchObject({
          status: 'in-progress',
          attempts: 1,
          heartbeatAt: T0.toISOString(),
        });
      } finally {
        await replica.destroy?.();
      }
    });

    it('a run whose runner stopped beating is resumed by another, and the old claim can no longer write', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun());
      const first = await runs.claimNext({
        owner: 'replica-a',
        now: T0,
        staleBefore: at(-30),
        maxAttempts: 3,
      });
      expect(first).toEqual({
        deploymentId: 'run-1',
        owner: 'replica-a',
        attempt: 1,
        resumed: false,
      });
      await expect(runs.heartbeat(first!, at(5))).resolves.toEqual({
        owned: true,
        cancelRequestedBy: null,
      });

      // Not stale yet at 30 s after the last beat.
      const staleAfter = 30;
      await expect(
        runs.claimNext({
          owner: 'replica-b',
          now: at(34),
          staleBefore: at(34 - staleAfter),
          maxAttempts: 3,
        }),
      ).resolves.toBeUndefined();

      const second = await runs.claimNext({
        owner: 'replica-b',
        now: at(40),
        staleBefore: at(40 - staleAfter),
        maxAttempts: 3,
      });
      expect(second).toEqual({
        deploymentId: 'run-1',
        owner: 'replica-b',
        attempt: 2,
        resumed: true,
      });

      await expect(runs.heartbeat(first!, at(41))).resolves.toEqual({
        owned: false,
        cancelRequestedBy: null,
      });
      await expect(
        runs.finishRun(first!, { status: 'failed', reason: 'late' }, at(42)),
      ).resolves.toBe(false);
      await expect(
        runs.finishRun(second!, { status: 'succeeded', reason: null }, at(43)),
      ).resolves.toBe(true);
      await expect(runs.getRun('run-1')).resolves.toMatchObject({
        status: 'succeeded',
        finishedAt: at(43).toISOString(),
        claimedBy: 'replica-b',
        attempts: 2,
      });
      // Finished once: a second finish changes nothing.
      await expect(
        runs.finishRun(second!, { status: 'failed', reason: 'x' }, at(44)),
      ).resolves.toBe(false);
    });

    it('release hands a run back at once', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun());
      const claim = await runs.claimNext({
        owner: 'a',
        now: T0,
        staleBefore: at(-30),
        maxAttempts: 3,
      });

      await runs.release(claim!);

      await expect(
        runs.claimNext({
          owner: 'b',
          now: at(1),
          staleBefore: at(-29),
          maxAttempts: 3,
        }),
      ).resolves.toMatchObject({ owner: 'b', attempt: 2, resumed: true });
    });

    it('ends a stale run that used up its attempts as failed, interrupted, with its audit event', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun());
      let claim = await runs.claimNext({
        owner: 'a',
        now: T0,
        staleBefore: at(-30),
        maxAttempts: 2,
      });
      await runs.startStage(claim!, 'build', at(1));
      claim = await runs.claimNext({
        owner: 'b',
        now: at(100),
        staleBefore: at(70),
        maxAttempts: 2,
      });
      expect(claim?.attempt).toBe(2);
      // Attempts used up: not claimable again.
      await expect(
        runs.claimNext({
          owner: 'c',
          now: at(200),
          staleBefore: at(170),
          maxAttempts: 2,
        }),
      ).resolves.toBeUndefined();

      const audited: string[] = [];
      const expired = await runs.expireStale({
        now: at(200),
        staleBefore: at(170),
        maxAttempts: 2,
        inTransaction: async (_trx, run) => {
          audited.push(`${run.id} ${run.status}`);
        },
      });

      expect(expired.map(r => [r.id, r.status, r.reason])).toEqual([
        [
          'run-1',
          'failed',
          'interrupted: the backend running it stopped 2 times',
        ],
      ]);
      expect(audited).toEqual(['run-1 failed']);
      await expect(runs.getRun('run-1')).resolves.toMatchObject({
        status: 'failed',
        finishedAt: at(200).toISOString(),
      });
      await expect(runs.listStages('run-1')).resolves.toEqual([
        expect.objectContaining({
          name: 'build',
          status: 'failed',
          error: 'interrupted',
        }),
      ]);
      // Nothing left to expire.
      await expect(
        runs.expireStale({
          now: at(300),
          staleBefore: at(270),
          maxAttempts: 2,
        }),
      ).resolves.toEqual([]);
    });

    it('cancels a pending run at once and flags a running one for its runner', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun({ id: 'pending' }));
      await runs.createRun(newRun({ id: 'running', environment: 'staging' }));
      const claim = await runs.claimNext({
        owner: 'a',
        now: T0,
        staleBefore: at(-30),
        maxAttempts: 3,
      });
      expect(claim?.deploymentId).toBe('pending');
      // Claimed: now the other one is the pending one.
      await expect(
        runs.requestCancel('running', 'user:default/bob', at(1)),
      ).resolves.toBe('cancelled');
      await expect(runs.getRun('running')).resolves.toMatchObject({
        status: 'failed',
        reason: 'cancelled by user:default/bob before it started',
        cancelRequestedBy: 'user:default/bob',
      });

      await expect(
        runs.requestCancel('pending', 'user:default/bob', at(2)),
      ).resolves.toBe('requested');
      // Asking twice is the same request.
      await expect(
        runs.requestCancel('pending', 'user:default/carol', at(3)),
      ).resolves.toBe('requested');
      await expect(runs.heartbeat(claim!, at(4))).resolves.toEqual({
        owned: true,
        cancelRequestedBy: 'user:default/bob',
      });

      await runs.finishRun(
        claim!,
        { status: 'failed', reason: 'cancelled by user:default/bob' },
        at(5),
      );
      await expect(
        runs.requestCancel('pending', 'user:default/bob', at(6)),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: 'Deployment pending has finished (failed); nothing to cancel',
      });
    });

    it('records stages in order and fails the running ones of an earlier attempt', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun());
      const claim = await runs.claimNext({
        owner: 'a',
        now: T0,
        staleBefore: at(-30),
        maxAttempts: 3,
      });

      const build = await runs.startStage(claim!, 'build', at(1));
      await runs.finishStage(
        'run-1',
        build,
        { status: 'succeeded', error: null },
        at(2),
      );
      const canary = await runs.startStage(claim!, 'canary', at(3));
      expect([build, canary]).toEqual([1, 2]);
      await runs.failRunningStages('run-1', 'interrupted', at(4));

      await expect(runs.listStages('run-1')).resolves.toEqual([
        {
          name: 'build',
          status: 'succeeded',
          attempt: 1,
          startedAt: at(1).toISOString(),
          finishedAt: at(2).toISOString(),
          error: null,
        },
        {
          name: 'canary',
          status: 'failed',
          attempt: 1,
          startedAt: at(3).toISOString(),
          finishedAt: at(4).toISOString(),
          error: 'interrupted',
        },
      ]);
    });

    it('stores log lines once and reads them on from a cursor', async () => {
      const { runs } = await createStore(databaseId);
      await runs.createRun(newRun());
      const lines = Array.from({ length: 250 }, (_, i) => ({
        seq: i + 1,
        at: at(i).toISOString(),
        line: `line ${i + 1}`,
      }));

      await runs.appendLogs('run-1', lines);
      // A zombie writing the same seqs changes nothing.
      await runs.appendLogs('run-1', [{ ...lines[0], line: 'zombie' }]);

      await expect(runs.lastLogSeq('run-1')).resolves.toBe(250);
      await expect(runs.lastLogSeq('other')).resolves.toBe(0);
      const first = await runs.readLogs('run-1', { after: 0, limit: 2 });
      expect(first).toEqual([lines[0], lines[1]]);
      const next = await runs.readLogs('run-1', { after: 248, limit: 10 });
      expect(next.map(l => l.line)).toEqual(['line 249', 'line 250']);
      await expect(
        runs.readLogs('run-1', { after: 250, limit: 10 }),
      ).resolves.toEqual([]);
    });

    it('lists succeeded runs last first and finished runs for DORA, without sample history', async () => {
      const { runs, history } = await createStore(databaseId);
      await history.insertDeployments([
        {
          id: 'sample-1',
          entityRef: ORDERS,
          environment: 'production',
          version: '1.0.0',
          status: 'succeeded',
          strategy: 'canary',
          triggeredBy: 'user:default/alice',
          startedAt: at(0).toISOString(),
          finishedAt: at(10).toISOString(),
        },
      ]);
      for (const [id, sha, status, finish] of [
        ['r1', SHA_1, 'succeeded', 100],
        ['r2', SHA_2, 'failed', 200],
        ['r3', SHA_2, 'succeeded', 300],
      ] as const) {
        await runs.createRun(newRun({ id, commitSha: sha }));
        const claim = await runs.claimNext({
          owner: 'a',
          now: at(finish - 50),
          staleBefore: at(0),
          maxAttempts: 3,
        });
        if (id === 'r2') {
          await runs.requestCancel(id, 'user:default/bob', at(finish - 10));
        }
        await runs.finishRun(
          claim!,
          { status, reason: status === 'failed' ? 'boom' : null },
          at(finish),
        );
      }

      const succeeded = await runs.listSucceeded(ORDERS, 'production', {
        limit: 5,
      });
      expect(succeeded.map(r => r.id)).toEqual(['r3', 'r1']);
      await expect(
        runs.listFinished(ORDERS, 'production', at(150)),
      ).resolves.toEqual([
        {
          id: 'r2',
          status: 'failed',
          finishedAt: at(200).toISOString(),
          committedAt: '2026-03-01T09:00:00.000Z',
          cancelled: true,
        },
        {
          id: 'r3',
          status: 'succeeded',
          finishedAt: at(300).toISOString(),
          committedAt: '2026-03-01T09:00:00.000Z',
          cancelled: false,
        },
      ]);
      await expect(
        runs.listFinished(ORDERS, 'production', at(-1000)),
      ).resolves.toHaveLength(3);
    });
  });
});
