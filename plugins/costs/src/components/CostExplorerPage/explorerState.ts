import type { RollupGroupBy } from '@paved-road/plugin-costs-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { isPeriodId, type PeriodId } from '../../lib/period';

/** The roll-up dimensions from the coarsest to the finest. */
export const LEVELS: RollupGroupBy[] = [
  'business-unit',
  'cost-center',
  'team',
  'service',
];

export const LEVEL_LABELS: Record<RollupGroupBy, string> = {
  'business-unit': 'Business unit',
  'cost-center': 'Cost center',
  team: 'Team',
  service: 'Service',
};

/** One step of a drill-down: the group the user opened. */
export interface DrillStep {
  dimension: RollupGroupBy;
  key: string;
}

export interface ExplorerState {
  period: PeriodId;
  /** The days of a custom period, as typed. */
  custom: { from?: string; to?: string };
  groupBy: RollupGroupBy;
  /** From the coarsest group opened to the finest. */
  drill: DrillStep[];
  /** A row to mark, e.g. the service the Cost tab linked from. */
  highlight?: string;
}

function isLevel(value: string | null): value is RollupGroupBy {
  return LEVELS.includes(value as RollupGroupBy);
}

/** `cost-center:CC-1001` → a step; keys may hold colons themselves. */
export function parseDrillStep(value: string): DrillStep | undefined {
  const colon = value.indexOf(':');
  const dimension = value.slice(0, colon);
  const key = value.slice(colon + 1);
  return colon > 0 && key && isLevel(dimension)
    ? { dimension, key }
    : undefined;
}

export function formatDrillStep(step: DrillStep): string {
  return `${step.dimension}:${step.key}`;
}

/** The dimension a group of `dimension` opens into, if any. */
export function nextLevel(dimension: RollupGroupBy): RollupGroupBy | undefined {
  return LEVELS[LEVELS.indexOf(dimension) + 1];
}

/**
 * The explorer's state as URL query parameters, so a view can be shared and
 * the browser's back button undoes a drill-down:
 * `?period=last-30-days&groupBy=team&drill=business-unit:group:default/payments&drill=cost-center:CC-1001`.
 */
export function readExplorerState(params: URLSearchParams): ExplorerState {
  const period = params.get('period');
  // A service is the finest group: there is nothing to open it into.
  const drill = params
    .getAll('drill')
    .map(parseDrillStep)
    .filter((step): step is DrillStep =>
      Boolean(step && nextLevel(step.dimension)),
    );
  const deepest = drill[drill.length - 1];
  const finest = deepest ? LEVELS.indexOf(deepest.dimension) : -1;
  const groupBy = params.get('groupBy');
  return {
    period: isPeriodId(period) ? period : 'this-month',
    custom: {
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
    },
    groupBy:
      isLevel(groupBy) && LEVELS.indexOf(groupBy) > finest
        ? groupBy
        : LEVELS[finest + 1],
    drill,
    highlight: params.get('highlight') ?? undefined,
  };
}

export function writeExplorerState(state: ExplorerState): URLSearchParams {
  const params = new URLSearchParams();
  params.set('period', state.period);
  if (state.period === 'custom') {
    if (state.custom.from) params.set('from', state.custom.from);
    if (state.custom.to) params.set('to', state.custom.to);
  }
  params.set('groupBy', state.groupBy);
  for (const step of state.drill) {
    params.append('drill', formatDrillStep(step));
  }
  if (state.highlight) {
    params.set('highlight', state.highlight);
  }
  return params;
}

/** The explorer's state and a setter that records it in the URL. */
export function useExplorerState(): [
  ExplorerState,
  (update: (state: ExplorerState) => ExplorerState) => void,
] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readExplorerState(params), [params]);
  const update = useCallback(
    (change: (s: ExplorerState) => ExplorerState) =>
      setParams(current =>
        writeExplorerState(change(readExplorerState(current))),
      ),
    [setParams],
  );
  return [state, update];
}
