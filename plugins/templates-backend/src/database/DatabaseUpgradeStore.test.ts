import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseUpgradeStore } from './DatabaseUpgradeStore';
import { NewUpgradeJob } from './UpgradeStore';

jest.setTimeout(60_000);

const result = {
  branch: 'paved-road/upgrade-1.1.0',
  templateCommit: 'a'.repeat(40),
  commit: 'b'.repeat(40),
  conflicts: [],
  changedFiles: [{ path: 'NEW.md', status: 'A' }],
};

function newJob(
  id: string,
  entityRef: string,
  overrides?: Partial<NewUpgradeJob>,
): NewUpgradeJob {
  return {
    id,
    entityRef,
    templateRef: 'template:default/kotlin-spring-service',
    fromVersion: '1.0.0',
    toVersion: '1.1.0',
    answers: { javaVersion: '17' },
    requestedBy: 'user:default/alice',
    author: { name: 'Alice', email: 'alice@example.com' },
    ...overrides,
  };
}

describe('DatabaseUpgradeStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseUpgradeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  const now = new Date('2026-12-07T10:00:00Z');
  const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

  it.each(databases.eachSupportedId())(
    'keeps one job per project and version; a failed one is queued again, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const first = await store.createJob(
        newJob('j1', 'component:default/a'),
        now,
      );
      expect(first).toMatchObject({
        created: true,
        job: { id: 'j1', status: 'queued' },
      });
      const again = await store.createJob(
        newJob('j2', 'component:default/a'),
        now,
      );
      expect(again).toMatchObject({ created: false, job: { id: 'j1' } });
      await expect(store.getJob('j2')).resolves.toBeUndefined();

      const claim = await store.claimNext({
        owner: 'r1',
        now,
        staleBefore: later(-60),
        maxAttempts: 3,
      });
      await store.finish(
        claim!,
        { status: 'failed', error: 'render failed' },
        now,
      );
      const retried = await store.createJob(
        newJob('j3', 'component:default/a', {
          requestedBy: 'user:default/bob',
          answers: { x: 1 },
        }),
        later(5),
      );
      expect(retried).toMatchObject({
        created: true,
        job: {
          id: 'j1',
          status: 'queued',
          requestedBy: 'user:default/bob',
          answers: { x: 1 },
          attempts: 0,
        },
      });
      expect(retried.job.error).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one of two claimers win and runs one job per project at a time, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createJob(newJob('a1', 'component:default/a'), now);
      await store.createJob(
        newJob('a2', 'component:default/a', { toVersion: '1.2.0' }),
        later(1),
      );
      await store.createJob(newJob('b1', 'component:default/b'), later(2));
      const options = { now, staleBefore: later(-60), maxAttempts: 3 };

      const [c1, c2] = await Promise.all([
        store.claimNext({ ...options, owner: 'r1' }),
        store.claimNext({ ...options, owner: 'r2' }),
      ]);
      const claimed = [c1?.jobId, c2?.jobId].filter(Boolean).sort();
      // a1 went to one claimer; a2 waits for it; the other took b1 (or nothing yet).
      expect(claimed).toContain('a1');
      expect(claimed).not.toContain('a2');
      const third = await store.claimNext({ ...options, owner: 'r3' });
      expect([...claimed, third?.jobId].filter(Boolean).sort()).toEqual([
        'a1',
        'b1',
      ]);
      await expect(
        store.claimNext({ ...options, owner: 'r4' }),
      ).resolves.toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'resumes a job whose worker stopped beating, fences the old worker and expires it after its attempts, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createJob(newJob('j1', 'component:default/a'), now);
      const first = await store.claimNext({
        owner: 'r1',
        now,
        staleBefore: later(-60),
        maxAttempts: 2,
      });
      expect(first).toEqual({ jobId: 'j1', owner: 'r1', attempt: 1 });
      // Still beating: nobody else takes it.
      await expect(
        store.claimNext({
          owner: 'r2',
          now: later(30),
          staleBefore: later(-30),
          maxAttempts: 2,
        }),
      ).resolves.toBeUndefined();
      const second = await store.claimNext({
        owner: 'r2',
        now: later(120),
        staleBefore: later(60),
        maxAttempts: 2,
      });
      expect(second).toEqual({ jobId: 'j1', owner: 'r2', attempt: 2 });
      await expect(store.heartbeat(first!, later(121))).resolves.toBe(false);
      await expect(
        store.finish(
          first!,
          { status: 'succeeded', outcome: 'clean', result },
          later(121),
        ),
      ).resolves.toBe(false);

      // r2 dies too: no attempts left, so the job ends as interrupted.
      await expect(
        store.claimNext({
          owner: 'r3',
          now: later(300),
          staleBefore: later(240),
          maxAttempts: 2,
        }),
      ).resolves.toBeUndefined();
      const expired = await store.expireStale({
        now: later(300),
        staleBefore: later(240),
        maxAttempts: 2,
      });
      expect(expired.map(j => [j.id, j.status, j.error])).toEqual([
        ['j1', 'failed', 'interrupted: the backend running it stopped 2 times'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores the outcome and result of a finished job, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createJob(newJob('j1', 'component:default/a'), now);
      const claim = await store.claimNext({
        owner: 'r1',
        now,
        staleBefore: later(-60),
        maxAttempts: 3,
      });
      await expect(store.heartbeat(claim!, later(5))).resolves.toBe(true);
      await expect(
        store.finish(
          claim!,
          { status: 'succeeded', outcome: 'clean', result },
          later(10),
        ),
      ).resolves.toBe(true);
      await expect(store.getJob('j1')).resolves.toMatchObject({
        status: 'succeeded',
        outcome: 'clean',
        result,
        finishedAt: later(10).toISOString(),
      });
      const latest = await store.latestJobs([
        'component:default/a',
        'component:default/none',
      ]);
      expect([...latest.keys()]).toEqual(['component:default/a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'creates a batch whose jobs include one already queued, %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.createJob(newJob('old', 'component:default/a'), now);
      const batch = await store.createBatch(
        {
          id: 'batch-1',
          templateRef: 'template:default/kotlin-spring-service',
          toVersion: '1.1.0',
          requestedBy: 'user:default/pe',
          skipped: [{ entityRef: 'component:default/c', reason: 'up-to-date' }],
        },
        [
          newJob('n1', 'component:default/a'),
          newJob('n2', 'component:default/b'),
        ],
        later(1),
      );
      expect(batch.jobs.map(j => [j.id, j.entityRef, j.batchId])).toEqual([
        ['old', 'component:default/a', 'batch-1'],
        ['n2', 'component:default/b', 'batch-1'],
      ]);
      expect(batch.skipped).toEqual([
        { entityRef: 'component:default/c', reason: 'up-to-date' },
      ]);
      expect(batch.jobs[0]).not.toHaveProperty('answers');
    },
  );
});
