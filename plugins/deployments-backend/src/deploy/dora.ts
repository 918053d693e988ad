import type { DoraMetrics } from '@paved-road/plugin-deployments-common';
import type { FinishedRun } from '../database/DeploymentRunsStore';

const DAY_MS = 24 * 60 * 60 * 1000;

function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mean(values: number[]): number | null {
  return values.length === 0
    ? null
    : values.reduce((sum, value) => sum + value, 0) / values.length;
}

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * The four DORA figures from the runs of one entity in one environment that
 * finished in the window `[to - days, to]`, oldest first:
 *
 * - deployment frequency: successful deployments, and per week;
 * - lead time for changes: commit time to the successful deployment's end;
 * - change failure rate: failed or rolled back, of all finished ones;
 * - time to restore: from the first failure of a streak to the success that
 *   ends it.
 *
 * A cancelled run that did not succeed changed nothing anyone asked for: it
 * counts neither as a deployment nor as a failure.
 */
export function computeDora(options: {
  entityRef: string;
  environment: string;
  days: number;
  to: Date;
  runs: FinishedRun[];
}): DoraMetrics {
  const { entityRef, environment, days, to } = options;
  const from = new Date(to.getTime() - days * DAY_MS);
  const runs = options.runs
    .filter(run => {
      const at = Date.parse(run.finishedAt);
      return at >= from.getTime() && at <= to.getTime();
    })
    .filter(run => !(run.cancelled && run.status !== 'succeeded'))
    .sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));

  const successes = runs.filter(run => run.status === 'succeeded');
  const failures = runs.filter(run => run.status !== 'succeeded');

  const leadTimes = successes
    .filter(run => run.committedAt !== null)
    .map(run =>
      Math.max(0, Date.parse(run.finishedAt) - Date.parse(run.committedAt!)),
    );

  const restoreTimes: number[] = [];
  let incidents = 0;
  let failingSince: number | null = null;
  for (const run of runs) {
    const at = Date.parse(run.finishedAt);
    if (run.status === 'succeeded') {
      if (failingSince !== null) {
        restoreTimes.push(at - failingSince);
        failingSince = null;
      }
    } else if (failingSince === null) {
      incidents += 1;
      failingSince = at;
    }
  }

  const leadMedian = median(leadTimes);
  const leadMean = mean(leadTimes);
  const restoreMedian = median(restoreTimes);
  return {
    entityRef,
    environment,
    days,
    from: from.toISOString(),
    to: to.toISOString(),
    deploymentFrequency: {
      successful: successes.length,
      perWeek: Math.round((successes.length / days) * 7 * 100) / 100,
    },
    leadTimeForChanges: {
      medianSeconds: leadMedian === null ? null : seconds(leadMedian),
      meanSeconds: leadMean === null ? null : seconds(leadMean),
      deployments: leadTimes.length,
    },
    changeFailureRate: {
      failed: failures.length,
      total: runs.length,
      rate:
        runs.length === 0
          ? null
          : Math.round((failures.length / runs.length) * 1000) / 1000,
    },
    timeToRestore: {
      medianSeconds: restoreMedian === null ? null : seconds(restoreMedian),
      incidents,
      restored: restoreTimes.length,
    },
  };
}
