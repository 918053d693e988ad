import { z } from 'zod';

/** @public Where a project keeps its service level objectives. */
export const SLO_FILE_PATH = 'deploy/slo.yaml';

/** @public The OpenSLO version the portal reads. */
export const OPENSLO_API_VERSION = 'openslo/v1';

/** @public How OpenSLO counts towards the objective. */
export const SLO_BUDGETING_METHODS = [
  'Occurrences',
  'Timeslices',
  'RatioTimeslices',
] as const;

/** @public */
export type SloBudgetingMethod = (typeof SLO_BUDGETING_METHODS)[number];

/**
 * OpenSLO's duration shorthand: a positive whole number and a unit, minutes
 * to years (`28d`, `4w`, `1h`, `1M`).
 */
const DURATION_PATTERN = /^[1-9]\d*[mhdwMQY]$/;

// Months, quarters and years have no fixed length: their budget is only a
// fraction, never a duration.
const FIXED_UNIT_SECONDS: Record<string, number> = {
  m: 60,
  h: 60 * 60,
  d: 24 * 60 * 60,
  w: 7 * 24 * 60 * 60,
};

/**
 * A refinement: exactly one of two alternative fields is given (OpenSLO's
 * `good`/`bad`, `target`/`targetPercent`, …).
 */
function exactlyOneOf(first: string, second: string) {
  return (value: object, ctx: z.RefinementCtx) => {
    const fields = value as Record<string, unknown>;
    if ((fields[first] === undefined) === (fields[second] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: `needs exactly one of ${first} and ${second}`,
        path: [],
      });
    }
  };
}

const metricSourceHolderSchema = z.object({
  metricSource: z.object({
    type: z.string().min(1),
    metricSourceRef: z.string().optional(),
    spec: z.record(z.string(), z.unknown()).optional(),
  }),
});

const ratioMetricSchema = z
  .object({
    counter: z.boolean().optional(),
    good: metricSourceHolderSchema.optional(),
    bad: metricSourceHolderSchema.optional(),
    total: metricSourceHolderSchema,
  })
  .superRefine(exactlyOneOf('good', 'bad'));

const indicatorSchema = z.object({
  metadata: z
    .object({ name: z.string().min(1), displayName: z.string().optional() })
    .optional(),
  spec: z
    .object({
      description: z.string().optional(),
      ratioMetric: ratioMetricSchema.optional(),
      thresholdMetric: metricSourceHolderSchema.optional(),
    })
    .superRefine(exactlyOneOf('ratioMetric', 'thresholdMetric')),
});

const objectiveSchema = z
  .object({
    displayName: z.string().optional(),
    op: z.enum(['lt', 'lte', 'gte', 'gt']).optional(),
    value: z.number().optional(),
    target: z
      .number()
      .gt(0, 'must be between 0 and 1')
      .lt(1, 'must be between 0 and 1')
      .optional(),
    targetPercent: z
      .number()
      .gt(0, 'must be between 0 and 100')
      .lt(100, 'must be between 0 and 100')
      .optional(),
    timeSliceTarget: z
      .number()
      .gt(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .optional(),
    timeSliceWindow: z
      .string()
      .regex(DURATION_PATTERN, 'must be a duration like 1m or 5m')
      .optional(),
  })
  .superRefine(exactlyOneOf('target', 'targetPercent'));

const timeWindowSchema = z
  .object({
    duration: z
      .string()
      .regex(DURATION_PATTERN, 'must be a duration like 28d, 4w or 1h'),
    isRolling: z.boolean().optional(),
    calendar: z
      .object({ startTime: z.string().min(1), timeZone: z.string().min(1) })
      .optional(),
  })
  .superRefine((window, ctx) => {
    // OpenSLO: a rolling window slides; a calendar one starts at a time.
    if (window.isRolling === true && window.calendar) {
      ctx.addIssue({
        code: 'custom',
        message: 'a rolling window has no calendar',
        path: ['calendar'],
      });
    }
    if (window.isRolling !== true && !window.calendar) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs isRolling: true or a calendar',
        path: [],
      });
    }
  });

/**
 * @public
 * The part of an OpenSLO v1 `SLO` document the portal reads: one time
 * window, an inline indicator (ratio or threshold) or a reference to an
 * `SLI`, and at least one objective with a target below 100 %. Other fields
 * are allowed and left alone.
 */
export const serviceLevelObjectiveDocumentSchema = z.object({
  apiVersion: z.literal(OPENSLO_API_VERSION),
  kind: z.literal('SLO'),
  metadata: z.object({
    name: z.string().min(1),
    displayName: z.string().optional(),
  }),
  spec: z
    .object({
      description: z.string().optional(),
      service: z.string().min(1),
      budgetingMethod: z.enum(SLO_BUDGETING_METHODS),
      timeWindow: z.array(timeWindowSchema).min(1).max(1),
      indicator: indicatorSchema.optional(),
      indicatorRef: z.string().min(1).optional(),
      objectives: z.array(objectiveSchema).min(1),
    })
    .superRefine((spec, ctx) => {
      exactlyOneOf('indicator', 'indicatorRef')(spec, ctx);
      if (spec.indicator?.spec.thresholdMetric) {
        spec.objectives.forEach((objective, i) => {
          if (!objective.op || objective.value === undefined) {
            ctx.addIssue({
              code: 'custom',
              message: 'a threshold indicator needs op and value',
              path: ['objectives', i],
            });
          }
        });
      }
    }),
});

/** @public An OpenSLO `SLO` document as the schema accepts it. */
export type ServiceLevelObjectiveDocument = z.infer<
  typeof serviceLevelObjectiveDocumentSchema
>;

/** @public One query of an indicator. */
export interface ServiceLevelIndicatorQuery {
  /** The metric source, e.g. `Prometheus`. */
  sourceType: string;
  /** `spec.query` of the metric source; null when the source has none. */
  query: string | null;
}

/** @public What an SLO measures. */
export interface ServiceLevelIndicator {
  /** `ratio` and `threshold` are inline; `reference` names an `SLI` document. */
  type: 'ratio' | 'threshold' | 'reference';
  /** The indicator's metadata.name, or the name an indicatorRef gives. */
  name: string | null;
  displayName: string | null;
  /** Ratio: exactly one of good and bad is set. */
  good: ServiceLevelIndicatorQuery | null;
  bad: ServiceLevelIndicatorQuery | null;
  total: ServiceLevelIndicatorQuery | null;
  threshold: ServiceLevelIndicatorQuery | null;
}

/**
 * @public
 * How much may go wrong over the window before the objective is missed.
 */
export interface ErrorBudget {
  /** The allowed bad fraction, 1 − target (0.005 for 99.5 %). */
  fraction: number;
  /**
   * The fraction of the window as seconds (0.005 of 28d: 12096); null for
   * windows in months, quarters or years, whose length varies.
   */
  seconds: number | null;
  /** `seconds` for people, e.g. `3 h 21 min 36 s`; null with it. */
  duration: string | null;
}

/** @public One objective of an SLO, with its error budget. */
export interface ServiceLevelTarget {
  displayName: string | null;
  /** The target as a fraction (targetPercent is divided by 100). */
  target: number;
  /** For threshold indicators: how a good value compares to `value`. */
  op: 'lt' | 'lte' | 'gte' | 'gt' | null;
  value: number | null;
  errorBudget: ErrorBudget;
}

/** @public A service level objective as the portal shows it. */
export interface ServiceLevelObjective {
  name: string;
  displayName: string | null;
  description: string | null;
  service: string;
  budgetingMethod: SloBudgetingMethod;
  timeWindow: {
    duration: string;
    isRolling: boolean;
    calendar: { startTime: string; timeZone: string } | null;
  };
  indicator: ServiceLevelIndicator;
  objectives: ServiceLevelTarget[];
  /** Which YAML document of the file (1 for the first) defines it. */
  document: number;
}

/**
 * @public
 * Why (part of) the SLO file was not read, e.g. document 2, field
 * `spec.objectives[0].target`, `must be between 0 and 1`.
 */
export interface ServiceLevelObjectivesProblem {
  /** The YAML document, 1 for the first; null for the file as a whole. */
  document: number | null;
  /** The field, as a path into the document; null for the whole document. */
  field: string | null;
  message: string;
}

/** @public `GET …/slos`: the SLOs of a project's `deploy/slo.yaml`. */
export interface ServiceLevelObjectivesResponse {
  slos: ServiceLevelObjective[];
  problems: ServiceLevelObjectivesProblem[];
  /** The path read, `deploy/slo.yaml`. */
  file: string;
  /** False when the default branch has no such file (template v1 projects). */
  found: boolean;
}

/**
 * @public
 * `document 2: spec.objectives[0].target: must be between 0 and 1`.
 */
export function formatSloProblem(problem: ServiceLevelObjectivesProblem) {
  return [
    problem.document === null ? null : `document ${problem.document}`,
    problem.field,
    problem.message,
  ]
    .filter(part => part !== null)
    .join(': ');
}

/** `spec.objectives[0].target` */
function fieldPath(path: ReadonlyArray<PropertyKey>): string | null {
  let field = '';
  for (const key of path) {
    field +=
      typeof key === 'number'
        ? `[${key}]`
        : `${field ? '.' : ''}${String(key)}`;
  }
  return field || null;
}

/** 1 - 0.995 is 0.0050000000000000044 in floating point: 0.005 here. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** @public The length of an OpenSLO duration in seconds; null for M, Q, Y. */
export function sloDurationSeconds(duration: string): number | null {
  if (!DURATION_PATTERN.test(duration)) {
    return null;
  }
  const unit = FIXED_UNIT_SECONDS[duration.slice(-1)];
  return unit === undefined ? null : Number(duration.slice(0, -1)) * unit;
}

/** @public `12096` → `3 h 21 min 36 s`; whole seconds, zero parts left out. */
export function formatBudgetDuration(seconds: number): string {
  let rest = Math.round(seconds);
  if (rest === 0) {
    return '0 s';
  }
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) {
      parts.push(`${count} ${unit}`);
    }
  }
  return parts.join(' ');
}

/**
 * @public
 * The error budget of `target` (a fraction) over a window of `duration`.
 */
export function errorBudget(target: number, duration: string): ErrorBudget {
  const fraction = tidy(1 - target);
  const windowSeconds = sloDurationSeconds(duration);
  const seconds =
    windowSeconds === null ? null : Math.round(windowSeconds * fraction);
  return {
    fraction,
    seconds,
    duration: seconds === null ? null : formatBudgetDuration(seconds),
  };
}

type MetricSourceHolder = z.infer<typeof metricSourceHolderSchema>;

function indicatorQuery(
  holder: MetricSourceHolder | undefined,
): ServiceLevelIndicatorQuery | null {
  if (!holder) {
    return null;
  }
  const query = holder.metricSource.spec?.query;
  return {
    sourceType: holder.metricSource.type,
    query: typeof query === 'string' ? query : null,
  };
}

function toIndicator(
  spec: ServiceLevelObjectiveDocument['spec'],
): ServiceLevelIndicator {
  const { indicator } = spec;
  if (!indicator) {
    return {
      type: 'reference',
      name: spec.indicatorRef ?? null,
      displayName: null,
      good: null,
      bad: null,
      total: null,
      threshold: null,
    };
  }
  const ratio = indicator.spec.ratioMetric;
  return {
    type: ratio ? 'ratio' : 'threshold',
    name: indicator.metadata?.name ?? null,
    displayName: indicator.metadata?.displayName ?? null,
    good: indicatorQuery(ratio?.good),
    bad: indicatorQuery(ratio?.bad),
    total: indicatorQuery(ratio?.total),
    threshold: indicatorQuery(indicator.spec.thresholdMetric),
  };
}

/** @public An accepted `SLO` document as the portal shows it. */
export function toServiceLevelObjective(
  doc: ServiceLevelObjectiveDocument,
  document: number,
): ServiceLevelObjective {
  const { spec } = doc;
  const [window] = spec.timeWindow;
  return {
    name: doc.metadata.name,
    displayName: doc.metadata.displayName ?? null,
    description: spec.description ?? null,
    service: spec.service,
    budgetingMethod: spec.budgetingMethod,
    timeWindow: {
      duration: window.duration,
      isRolling: window.isRolling === true,
      calendar: window.calendar ?? null,
    },
    indicator: toIndicator(spec),
    objectives: spec.objectives.map(objective => {
      const target = objective.target ?? tidy(objective.targetPercent! / 100);
      return {
        displayName: objective.displayName ?? null,
        target,
        op: objective.op ?? null,
        value: objective.value ?? null,
        errorBudget: errorBudget(target, window.duration),
      };
    }),
    document,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @public
 * Reads the `SLO` documents among the YAML documents of an SLO file (the
 * first is document 1). Other kinds (`Service`, `SLI`, `AlertPolicy`…) and
 * empty documents are left out without a problem; an invalid `SLO` is left
 * out with a problem per wrong field, and so is a second SLO of the same
 * name.
 */
export function parseServiceLevelObjectives(documents: unknown[]): {
  slos: ServiceLevelObjective[];
  problems: ServiceLevelObjectivesProblem[];
} {
  const slos: ServiceLevelObjective[] = [];
  const problems: ServiceLevelObjectivesProblem[] = [];
  documents.forEach((value, index) => {
    const document = index + 1;
    if (value === null || value === undefined) {
      return;
    }
    if (!isRecord(value)) {
      problems.push({
        document,
        field: null,
        message: 'must be a mapping (an OpenSLO document)',
      });
      return;
    }
    if (value.kind !== 'SLO') {
      return;
    }
    const parsed = serviceLevelObjectiveDocumentSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({
          document,
          field: fieldPath(issue.path),
          message: issue.message,
        });
      }
      return;
    }
    const name = parsed.data.metadata.name;
    const first = slos.find(slo => slo.name === name);
    if (first) {
      problems.push({
        document,
        field: 'metadata.name',
        message: `${name} is defined in document ${first.document} already`,
      });
      return;
    }
    slos.push(toServiceLevelObjective(parsed.data, document));
  });
  return { slos, problems };
}
