import type {
  ServiceLevelObjective,
  ServiceLevelTarget,
} from '@paved-road/plugin-deployments-common';

const UNITS: Record<string, [string, string]> = {
  m: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  w: ['week', 'weeks'],
  M: ['month', 'months'],
  Q: ['quarter', 'quarters'],
  Y: ['year', 'years'],
};

/** `28d` → `28 days`, `1M` → `1 month`. */
export function durationText(duration: string): string {
  const count = Number(duration.slice(0, -1));
  const unit = UNITS[duration.slice(-1)];
  if (!unit || !Number.isFinite(count)) {
    return duration;
  }
  return `${count} ${count === 1 ? unit[0] : unit[1]}`;
}

/** 0.995 → `99.5 %`; 0.005 → `0.5 %`. */
export function percentText(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(10))} %`;
}

/** `rolling 28 days` or `1 month from 2026-01-01 00:00:00 (UTC)`. */
export function windowText(window: ServiceLevelObjective['timeWindow']) {
  const span = durationText(window.duration);
  if (window.calendar) {
    return `${span} from ${window.calendar.startTime} (${window.calendar.timeZone})`;
  }
  return `rolling ${span}`;
}

const OPS: Record<NonNullable<ServiceLevelTarget['op']>, string> = {
  lt: '<',
  lte: '≤',
  gte: '≥',
  gt: '>',
};

/** `99.5 %`, or `95 % with value ≤ 0.3` for a threshold. */
export function targetText(objective: ServiceLevelTarget): string {
  const target = percentText(objective.target);
  return objective.op && objective.value !== null
    ? `${target} with value ${OPS[objective.op]} ${objective.value}`
    : target;
}

/**
 * `0.5 % = 3 h 21 min 36 s per 28 days`, or `0.1 % of each month` when the
 * window has no fixed length.
 */
export function budgetText(
  objective: ServiceLevelTarget,
  window: ServiceLevelObjective['timeWindow'],
): string {
  const { fraction, duration } = objective.errorBudget;
  const span = durationText(window.duration);
  return duration === null
    ? `${percentText(fraction)} of each ${span.replace(/^1 /, '')}`
    : `${percentText(fraction)} = ${duration} per ${span}`;
}
