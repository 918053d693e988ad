import type { FinishedRun } from '../database/DeploymentRunsStore';
import { computeDora } from './dora';

const TO = new Date('2026-03-31T00:00:00.000Z');
const HOUR = 3600;

/** A run that finished `daysAgo` days before TO, committed `leadHours` before. */
function run(
  id: string,
  status: FinishedRun['status'],
  daysAgo: number,
  leadHours: number | null,
  cancelled = false,
): FinishedRun {
  const finished = TO.getTime() - daysAgo * 24 * HOUR * 1000;
  return {
    id,
    status,
    finishedAt: new Date(finished).toISOString(),
    committedAt:
      leadHours === null
        ? null
        : new Date(finished - leadHours * HOUR * 1000).toISOString(),
    cancelled,
  };
}

describe('computeDora', () => {
  // Oldest first, as the store returns them. Within the 28-day window:
  //   d1 succeeded   (lead 2 h)
  //   d2 failed      ┐ one incident from day 20 ...
  //   d3 rolled-back ┘
  //   d4 succeeded   (lead 4 h) ... restored on day 19.5: 12 h
  //   d5 cancelled, failed: not a change, not counted
  //   d6 rolled-back   incident from day 10 ...
  //   d7 succeeded   (lead 6 h) ... restored on day 9: 24 h
  //   d8 succeeded   (no commit time: no lead time)
  //   d9 failed        incident from day 1, not restored yet
  // Before the window: old (ignored).
  const history = [
    run('old', 'failed', 40, 1),
    run('d1', 'succeeded', 27, 2),
    run('d2', 'failed', 20, 1),
    run('d3', 'rolled-back', 19.8, 1),
    run('d4', 'succeeded', 19.5, 4),
    run('d5', 'failed', 15, 1, true),
    run('d6', 'rolled-back', 10, 1),
    run('d7', 'succeeded', 9, 6),
    run('d8', 'succeeded', 5, null),
    run('d9', 'failed', 1, 1),
  ];

  it('computes the four figures of a known history', () => {
    const dora = computeDora({
      entityRef: 'component:default/orders-kt',
      environment: 'production',
      days: 28,
      to: TO,
      runs: history,
    });

    expect(dora).toEqual({
      entityRef: 'component:default/orders-kt',
      environment: 'production',
      days: 28,
      from: '2026-03-03T00:00:00.000Z',
      to: '2026-03-31T00:00:00.000Z',
      // d1, d4, d7, d8 over four weeks
      deploymentFrequency: { successful: 4, perWeek: 1 },
      // 2 h, 4 h, 6 h
      leadTimeForChanges: {
        medianSeconds: 4 * HOUR,
        meanSeconds: 4 * HOUR,
        deployments: 3,
      },
      // d2, d3, d6, d9 of d1..d9 without d5
      changeFailureRate: { failed: 4, total: 8, rate: 0.5 },
      // 12 h and 24 h; the third incident is open
      timeToRestore: {
        medianSeconds: 18 * HOUR,
        incidents: 3,
        restored: 2,
      },
    });
  });

  it('gives null figures, not zeros, when there is nothing to measure', () => {
    const dora = computeDora({
      entityRef: 'component:default/orders-kt',
      environment: 'production',
      days: 30,
      to: TO,
      runs: [],
    });

    expect(dora.deploymentFrequency).toEqual({ successful: 0, perWeek: 0 });
    expect(dora.leadTimeForChanges).toEqual({
      medianSeconds: null,
      meanSeconds: null,
      deployments: 0,
    });
    expect(dora.changeFailureRate).toEqual({ failed: 0, total: 0, rate: null });
    expect(dora.timeToRestore).toEqual({
      medianSeconds: null,
      incidents: 0,
      restored: 0,
    });
  });

  it('counts a cancelled deployment that still succeeded', () => {
    const dora = computeDora({
      entityRef: 'component:default/orders-kt',
      environment: 'production',
      days: 7,
      to: TO,
      runs: [run('late-cancel', 'succeeded', 1, 3, true)],
    });

    expect(dora.deploymentFrequency.successful).toBe(1);
    expect(dora.changeFailureRate).toEqual({ failed: 0, total: 1, rate: 0 });
  });
});
