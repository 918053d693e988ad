import { mockServices } from '@backstage/backend-test-utils';
import { EntityHygiene, HygieneStore } from '../database/HygieneStore';
import { HygieneRecorder } from './HygieneRecorder';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const WRONG = [{ code: 'missing-owner' as const, message: 'spec.owner: …' }];

function hygiene(name: string, problems = WRONG): EntityHygiene {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    namespace: 'default',
    name,
    title: null,
    owner: null,
    businessUnit: null,
    costCenter: null,
    problems,
  };
}

function setup(
  apply: HygieneStore['apply'] = async () => {},
  rows: string[] = [],
) {
  const store = {
    apply: jest.fn(apply),
    list: jest.fn(),
    listRefs: jest.fn(async () => rows),
    prune: jest.fn(),
  };
  const logger = mockServices.logger.mock();
  const recorder = new HygieneRecorder({ store, logger, now: () => NOW });
  return { store, logger, recorder };
}

describe('HygieneRecorder', () => {
  it('never touches the store while recording; one batch per flush with the latest verdict per entity', async () => {
    const { store, recorder } = setup();
    for (let i = 0; i < 500; i++) {
      recorder.record(hygiene(`svc-${i}`));
    }
    recorder.record(hygiene('svc-7', [])); // fixed since

    expect(store.apply).not.toHaveBeenCalled();
    expect(recorder.pendingCount).toBe(500);

    await recorder.flush();
    expect(store.apply).toHaveBeenCalledTimes(1);
    const [batch, now] = store.apply.mock.calls[0];
    expect(batch).toHaveLength(500);
    expect(batch.find(h => h.name === 'svc-7')?.problems).toEqual([]);
    expect(now).toBe(NOW);

    await recorder.flush(); // nothing pending: no empty write
    expect(store.apply).toHaveBeenCalledTimes(1);
  });

  it('writes what is still pending when stopped, and swallows a failure there', async () => {
    let fail = false;
    const { store, recorder } = setup(async () => {
      if (fail) {
        throw new Error('database is gone');
      }
    });
    recorder.record(hygiene('b'));
    await recorder.stop();
    expect(store.apply).toHaveBeenCalledTimes(1);
    expect(store.apply.mock.calls[0][0].map(h => h.name)).toEqual(['b']);

    fail = true;
    recorder.record(hygiene('c'));
    await expect(recorder.stop()).resolves.toBeUndefined();
  });

  it('keeps a failed batch for the next flush unless a newer verdict replaced it', async () => {
    let fail = true;
    const { store, logger, recorder } = setup(async () => {
      if (fail) {
        throw new Error('database is gone');
      }
    });
    recorder.record(hygiene('a'));
    recorder.record(hygiene('b'));
    await expect(recorder.flush()).rejects.toThrow('database is gone');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('2 entities'),
      expect.any(Error),
    );

    recorder.record(hygiene('b', [])); // newer verdict while the write failed
    fail = false;
    await recorder.flush();
    const retried = store.apply.mock.calls[1][0];
    expect(retried.map(h => [h.name, h.problems.length]).sort()).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    expect(recorder.pendingCount).toBe(0);
  });

  it('lets a flush that arrives mid-write wait, then write what came meanwhile', async () => {
    let release!: () => void;
    const { store, recorder } = setup(
      () => new Promise<void>(resolve => (release = resolve)),
    );
    recorder.record(hygiene('a'));
    const first = recorder.flush();
    recorder.record(hygiene('b'));
    const second = recorder.flush();
    await Promise.resolve();
    expect(store.apply).toHaveBeenCalledTimes(1);
    release();
    await first;
    await new Promise(r => setImmediate(r));
    release();
    await second;
    expect(store.apply.mock.calls.map(c => c[0].map(h => h.name))).toEqual([
      ['a'],
      ['b'],
    ]);
  });

  describe('after a sync with the stored rows', () => {
    const ref = (name: string) => `component:default/${name}`;

    it('keeps every verdict until the first sync', () => {
      const { recorder } = setup();
      expect(recorder.wants(ref('a'), true)).toBe(true);
      recorder.record(hygiene('a', []));
      expect(recorder.pendingCount).toBe(1);
    });

    it('drops clean verdicts of entities without a row and clears the ones with a row', async () => {
      const { store, recorder } = setup(undefined, [ref('old')]);
      await recorder.sync();

      expect(recorder.wants(ref('svc-1'), true)).toBe(false);
      recorder.record(hygiene('svc-1', []));
      expect(recorder.pendingCount).toBe(0);
      expect(recorder.wants(ref('svc-1'), false)).toBe(true);

      recorder.record(hygiene('old', []));
      await recorder.flush();
      expect(store.apply.mock.calls[0][0].map(h => h.name)).toEqual(['old']);

      // Its row is gone: the next clean verdict costs nothing.
      recorder.record(hygiene('old', []));
      expect(recorder.pendingCount).toBe(0);
      await recorder.flush();
      expect(store.apply).toHaveBeenCalledTimes(1);
    });

    it('clears a problem it wrote itself once the entity is fixed', async () => {
      const { store, recorder } = setup();
      await recorder.sync();
      recorder.record(hygiene('a'));
      await recorder.flush();
      recorder.record(hygiene('a', []));
      await recorder.flush();
      expect(
        store.apply.mock.calls.map(c => c[0].map(h => h.problems.length)),
      ).toEqual([[1], [0]]);
    });

    it('keeps the row flagged while a clear fails or a newer problem is pending', async () => {
      let fail = true;
      const { store, recorder } = setup(async () => {
        if (fail) {
          throw new Error('database is gone');
        }
      }, [ref('old')]);
      await recorder.sync();
      recorder.record(hygiene('old', []));
      await expect(recorder.flush()).rejects.toThrow('database is gone');
      expect(recorder.wants(ref('old'), true)).toBe(true);

      // A problem arrives while the clear is being written.
      fail = false;
      let release!: () => void;
      store.apply.mockImplementationOnce(
        () => new Promise<void>(resolve => (release = resolve)),
      );
      const writing = recorder.flush();
      recorder.record(hygiene('old'));
      await Promise.resolve();
      release();
      await writing;
      expect(recorder.wants(ref('old'), true)).toBe(true);
    });
  });
});
