import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import { ScriptedProvider } from '../__testUtils__/ScriptedProvider';
import { DatabaseDeploymentEnvironmentsStore } from '../database/DatabaseDeploymentEnvironmentsStore';
import { DatabaseDeploymentRunsStore } from '../database/DatabaseDeploymentRunsStore';
import {
  PREVIEW_CLEANUP_TASK_ID,
  PreviewEnvironments,
  schedulePreviewCleanup,
} from './PreviewEnvironments';
import { readEnvironmentsConfig } from './environments';
import { ConfigReader } from '@backstage/config';

jest.setTimeout(60_000);

const ORDERS = 'component:default/orders-kt';
const T0 = new Date('2026-03-01T10:00:00.000Z');
const TTL_MS = 60 * 60_000;
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('PreviewEnvironments', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setUp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    const runs = await DatabaseDeploymentRunsStore.create({ database });
    const environments = await DatabaseDeploymentEnvironmentsStore.create({
      database,
    });
    const provider = new ScriptedProvider();
    const audit: AuditEventInput[] = [];
    const clock = { now: T0 };
    const previews = () =>
      new PreviewEnvironments({
        environments,
        runs,
        provider,
        audit: {
          enqueue: async (_trx, event) => {
            audit.push(event);
          },
        },
        logger: mockServices.logger.mock(),
        now: () => clock.now,
      });

    /** Queues a deployment of a branch's preview as the API does, at `at`. */
    async function deployPreview(branch: string, at: Date) {
      const name = `preview-${branch}`;
      const id = `${name}-${at.getTime()}`;
      await runs.createRun(
        {
          id,
          entityRef: ORDERS,
          environment: name,
          kind: 'deploy',
          ref: branch,
          commitSha: 'c'.repeat(40),
          committedAt: at.toISOString(),
          previousCommitSha: null,
          repository: {
            cloneUrl: 'http://localhost:7007/api/local-git/orders-kt.git',
            defaultBranch: 'main',
          },
          settings: DEFAULT_DEPLOYMENT_SETTINGS,
          settingsVersion: 1,
          triggeredBy: 'user:default/alice',
          requestedAt: at.toISOString(),
        },
        trx =>
          environments.recordDeployment(trx, {
            entityRef: ORDERS,
            name,
            kind: 'preview',
            branch,
            by: 'user:default/alice',
            at,
            expiresAt: new Date(at.getTime() + TTL_MS),
          }),
      );
      return id;
    }

    /** Runs the queued deployment to its end, as a runner would. */
    async function finish(at: Date) {
      const claim = await runs.claimNext({
        owner: 'runner-1',
        now: at,
        staleBefore: new Date(at.getTime() - 30_000),
        maxAttempts: 3,
      });
      await runs.finishRun(claim!, { status: 'succeeded', reason: null }, at);
    }

    return {
      environments,
      runs,
      provider,
      audit,
      clock,
      previews,
      deployPreview,
      finish,
    };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('tears down expired previews as the plugin; keeps unexpired ones and one with a deployment in flight', async () => {
      const {
        environments,
        provider,
        audit,
        clock,
        previews,
        deployPreview,
        finish,
      } = await setUp(databaseId);
      await deployPreview('old', T0);
      await finish(minutes(1));
      await deployPreview('fresh', minutes(30));
      await finish(minutes(31));
      await deployPreview('busy', minutes(2));
      await finish(minutes(3));
      // Deployed again just before its TTL ran out, still running.
      await deployPreview('busy', minutes(59));
      const task = previews();

      clock.now = minutes(61);
      const first = await task.cleanUpExpired();

      expect(first.tornDown.map(e => e.name)).toEqual(['preview-old']);
      expect(first.busy).toEqual([]);
      expect(provider.teardowns).toEqual([`${ORDERS}|preview-old`]);
      expect(audit).toEqual([
        expect.objectContaining({
          action: 'environment.torn-down',
          outcome: 'succeeded',
          actor: 'plugin:deployments',
          entityRef: ORDERS,
          summary: `Tore down preview-old (branch old): expired ${minutes(
            60,
          ).toISOString()}`,
          details: expect.objectContaining({
            environment: 'preview-old',
            branch: 'old',
            reason: 'expired',
          }),
        }),
      ]);
      expect(audit[0]).not.toHaveProperty('owner');
      await expect(
        environments.get(ORDERS, 'preview-old'),
      ).resolves.toMatchObject({
        tornDownAt: minutes(61).toISOString(),
        tornDownBy: 'plugin:deployments',
      });
      expect((await environments.listLive(ORDERS)).map(e => e.name)).toEqual([
        'preview-fresh',
        'preview-busy',
      ]);

      // Later: the busy one's renewed TTL and the fresh one's run out; the
      // busy one's deployment still runs, so it stays.
      clock.now = minutes(121);
      const second = await task.cleanUpExpired();
      expect(second.tornDown.map(e => e.name)).toEqual(['preview-fresh']);
      expect(provider.teardowns).toHaveLength(2);

      clock.now = minutes(125);
      const third = await task.cleanUpExpired();
      expect(third).toMatchObject({ tornDown: [], failed: [] });
      expect(third.busy.map(e => e.name)).toEqual(['preview-busy']);

      // Its deployment ends; the next run tears it down. Torn-down
      // previews are never touched again.
      await finish(minutes(126));
      const fourth = await task.cleanUpExpired();
      expect(fourth.tornDown.map(e => e.name)).toEqual(['preview-busy']);
      expect(provider.teardowns).toEqual([
        `${ORDERS}|preview-old`,
        `${ORDERS}|preview-fresh`,
        `${ORDERS}|preview-busy`,
      ]);
      await expect(task.cleanUpExpired()).resolves.toEqual({
        tornDown: [],
        busy: [],
        failed: [],
      });
      expect(audit).toHaveLength(3);
      await expect(environments.listLive(ORDERS)).resolves.toEqual([]);
    });

    it('leaves a preview whose teardown fails listed and tries again on the next run', async () => {
      const {
        environments,
        provider,
        audit,
        clock,
        previews,
        deployPreview,
        finish,
      } = await setUp(databaseId);
      await deployPreview('x', T0);
      await finish(minutes(1));
      clock.now = minutes(61);
      provider.teardownError = new Error('GitHub answered 502');

      const failed = await previews().cleanUpExpired();

      expect(failed.failed.map(e => e.name)).toEqual(['preview-x']);
      expect(audit).toEqual([]);
      await expect(
        environments.get(ORDERS, 'preview-x'),
      ).resolves.toMatchObject({ tornDownAt: null });

      provider.teardownError = undefined;
      const retried = await previews().cleanUpExpired();
      expect(retried.tornDown.map(e => e.name)).toEqual(['preview-x']);
      expect(audit).toHaveLength(1);
    });

    it('two replicas running the task at once tear each preview down once in the trail', async () => {
      const { audit, clock, previews, deployPreview, finish } = await setUp(
        databaseId,
      );
      for (const branch of ['a', 'b', 'c']) {
        await deployPreview(branch, T0);
        await finish(minutes(1));
      }
      clock.now = minutes(61);

      const [one, two] = await Promise.all([
        previews().cleanUpExpired(),
        previews().cleanUpExpired(),
      ]);

      expect(
        [...one.tornDown, ...two.tornDown].map(e => e.name).sort(),
      ).toEqual(['preview-a', 'preview-b', 'preview-c']);
      expect(audit.map(e => e.details?.environment).sort()).toEqual([
        'preview-a',
        'preview-b',
        'preview-c',
      ]);
    });

    it('a teardown is refused while a deployment runs, and when one was queued or it was torn down since it was read', async () => {
      const { environments, provider, clock, previews, deployPreview, finish } =
        await setUp(databaseId);
      const alice = {
        actor: 'user:default/alice',
        reason: 'requested' as const,
      };
      await deployPreview('x', T0);
      const running = await environments.get(ORDERS, 'preview-x');

      await expect(previews().tearDown(running!, alice)).rejects.toThrow(
        ConflictError,
      );
      expect(provider.teardowns).toEqual([]);

      await finish(minutes(1));
      const read = await environments.get(ORDERS, 'preview-x');
      await deployPreview('x', minutes(2));
      await finish(minutes(3));
      clock.now = minutes(4);
      await expect(previews().tearDown(read!, alice)).rejects.toThrow(
        `A deployment of ${ORDERS} to preview-x was queued while tearing it down; it brings preview-x back`,
      );

      const fresh = await environments.get(ORDERS, 'preview-x');
      await previews().tearDown(fresh!, alice);
      await expect(previews().tearDown(fresh!, alice)).rejects.toThrow(
        NotFoundError,
      );
    });
  });

  it('is scheduled on deployments.previews.cleanup with the scheduler’s global lock', async () => {
    const scheduler = mockServices.scheduler.mock();
    const previews = { cleanUpExpired: jest.fn(async () => ({})) };
    const config = readEnvironmentsConfig(
      new ConfigReader({
        deployments: {
          previews: {
            cleanup: { frequency: { minutes: 1 }, timeout: { seconds: 30 } },
          },
        },
      }),
    );

    await schedulePreviewCleanup({
      scheduler,
      config,
      previews: previews as unknown as PreviewEnvironments,
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: PREVIEW_CLEANUP_TASK_ID,
        scope: 'global',
        frequency: { minutes: 1 },
        timeout: { seconds: 30 },
      }),
    );
    const [{ fn }] = scheduler.scheduleTask.mock.calls[0];
    await fn(new AbortController().signal);
    expect(previews.cleanUpExpired).toHaveBeenCalledTimes(1);
  });
});
