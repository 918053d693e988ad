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

function setup(apply: HygieneStore['apply'] = async () => {}) {
  const store = {
    apply: jest.fn(apply),
    list: jest.fn(),
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
});
