import {
  errorBudget,
  formatBudgetDuration,
  formatSloProblem,
  parseServiceLevelObjectives,
  sloDurationSeconds,
} from './serviceLevelObjectives';

const GOOD =
  'sum(rate(http_server_requests_seconds_count{application="orders-service",status!~"5.."}[5m]))';
const TOTAL =
  'sum(rate(http_server_requests_seconds_count{application="orders-service"}[5m]))';

function prometheus(query: string) {
  return { metricSource: { type: 'Prometheus', spec: { query } } };
}

/** The availability SLO of template v2, as YAML gives it. */
function availability(overrides: { spec?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: {
      name: 'orders-service-availability',
      displayName: 'Availability',
    },
    spec: {
      description: 'Requests answered without a server error',
      service: 'orders-service',
      budgetingMethod: 'Occurrences',
      timeWindow: [{ duration: '28d', isRolling: true }],
      indicator: {
        metadata: { name: 'orders-service-non-5xx' },
        spec: {
          ratioMetric: {
            counter: true,
            good: prometheus(GOOD),
            total: prometheus(TOTAL),
          },
        },
      },
      objectives: [
        { displayName: '99.5 % of requests succeed', target: 0.995 },
      ],
      ...overrides.spec,
    },
  };
}

describe('parseServiceLevelObjectives', () => {
  it('reads an SLO with its indicator queries and error budget', () => {
    const { slos, problems } = parseServiceLevelObjectives([availability()]);

    expect(problems).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'orders-service-availability',
        displayName: 'Availability',
        description: 'Requests answered without a server error',
        service: 'orders-service',
        budgetingMethod: 'Occurrences',
        timeWindow: { duration: '28d', isRolling: true, calendar: null },
        indicator: {
          type: 'ratio',
          name: 'orders-service-non-5xx',
          displayName: null,
          good: { sourceType: 'Prometheus', query: GOOD },
          bad: null,
          total: { sourceType: 'Prometheus', query: TOTAL },
          threshold: null,
        },
        objectives: [
          {
            displayName: '99.5 % of requests succeed',
            target: 0.995,
            op: null,
            value: null,
            errorBudget: {
              fraction: 0.005,
              seconds: 12096,
              duration: '3 h 21 min 36 s',
            },
          },
        ],
        document: 1,
      },
    ]);
  });

  it('ignores other kinds and empty documents, and numbers documents from 1', () => {
    const { slos, problems } = parseServiceLevelObjectives([
      { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'x' } },
      null,
      { apiVersion: 'openslo/v1', kind: 'AlertPolicy', spec: 42 },
      availability(),
    ]);

    expect(problems).toEqual([]);
    expect(slos.map(slo => slo.document)).toEqual([4]);
  });

  it('names the document and field of a target out of range and keeps the valid SLOs', () => {
    const { slos, problems } = parseServiceLevelObjectives([
      availability(),
      {
        ...availability({ spec: { objectives: [{ target: 99.5 }] } }),
        metadata: { name: 'orders-service-latency' },
      },
    ]);

    expect(slos.map(slo => slo.name)).toEqual(['orders-service-availability']);
    expect(problems.map(formatSloProblem)).toEqual([
      'document 2: spec.objectives[0].target: must be between 0 and 1',
    ]);
  });

  it.each([
    [
      'both target and targetPercent',
      { objectives: [{ target: 0.9, targetPercent: 90 }] },
      'spec.objectives[0]: needs exactly one of target and targetPercent',
    ],
    [
      'an unknown budgeting method',
      { budgetingMethod: 'Monthly' },
      'spec.budgetingMethod: ',
    ],
    [
      'a duration without a unit',
      { timeWindow: [{ duration: '28', isRolling: true }] },
      'spec.timeWindow[0].duration: must be a duration like 28d, 4w or 1h',
    ],
    [
      'a fixed window without a calendar',
      { timeWindow: [{ duration: '1M', isRolling: false }] },
      'spec.timeWindow[0]: needs isRolling: true or a calendar',
    ],
    [
      'neither indicator nor indicatorRef',
      { indicator: undefined },
      'spec: needs exactly one of indicator and indicatorRef',
    ],
    [
      'a ratio with good and bad',
      {
        indicator: {
          spec: {
            ratioMetric: {
              good: prometheus(GOOD),
              bad: prometheus(GOOD),
              total: prometheus(TOTAL),
            },
          },
        },
      },
      'spec.indicator.spec.ratioMetric: needs exactly one of good and bad',
    ],
    [
      'a threshold objective without op',
      {
        indicator: {
          spec: { thresholdMetric: prometheus('histogram_quantile(0.95, x)') },
        },
        objectives: [{ target: 0.95, value: 0.3 }],
      },
      'spec.objectives[0]: a threshold indicator needs op and value',
    ],
  ])('reports %s', (_, spec, expected) => {
    const { slos, problems } = parseServiceLevelObjectives([
      availability({ spec }),
    ]);

    expect(slos).toEqual([]);
    expect(problems.map(formatSloProblem)).toEqual([
      expect.stringContaining(`document 1: ${expected}`),
    ]);
  });

  it('reads targetPercent, indicatorRef and a calendar window', () => {
    const { slos, problems } = parseServiceLevelObjectives([
      availability({
        spec: {
          indicator: undefined,
          indicatorRef: 'orders-service-non-5xx',
          budgetingMethod: 'Timeslices',
          timeWindow: [
            {
              duration: '1M',
              isRolling: false,
              calendar: { startTime: '2026-01-01 00:00:00', timeZone: 'UTC' },
            },
          ],
          objectives: [{ targetPercent: 99.9, timeSliceTarget: 0.95 }],
        },
      }),
    ]);

    expect(problems).toEqual([]);
    expect(slos[0].indicator).toEqual(
      expect.objectContaining({
        type: 'reference',
        name: 'orders-service-non-5xx',
      }),
    );
    expect(slos[0].timeWindow.calendar).toEqual({
      startTime: '2026-01-01 00:00:00',
      timeZone: 'UTC',
    });
    // A month has no fixed length: the budget is a fraction only.
    expect(slos[0].objectives[0]).toEqual(
      expect.objectContaining({
        target: 0.999,
        errorBudget: { fraction: 0.001, seconds: null, duration: null },
      }),
    );
  });

  it('reports a second SLO of the same name and a document that is not a mapping', () => {
    const { slos, problems } = parseServiceLevelObjectives([
      availability(),
      'just text',
      availability(),
    ]);

    expect(slos).toHaveLength(1);
    expect(problems.map(formatSloProblem)).toEqual([
      'document 2: must be a mapping (an OpenSLO document)',
      'document 3: metadata.name: orders-service-availability is defined in document 1 already',
    ]);
  });
});

describe('error budgets', () => {
  it.each([
    [0.995, '28d', 12096, '3 h 21 min 36 s'],
    [0.95, '28d', 120960, '1 d 9 h 36 min'],
    [0.999, '30d', 2592, '43 min 12 s'],
    [0.99, '4w', 24192, '6 h 43 min 12 s'],
    [0.9, '1h', 360, '6 min'],
  ])('%s over %s is %ss (%s)', (target, duration, seconds, text) => {
    expect(errorBudget(target, duration)).toEqual({
      fraction: Number((1 - target).toFixed(6)),
      seconds,
      duration: text,
    });
  });

  it('has no duration for windows of varying length', () => {
    expect(sloDurationSeconds('1Q')).toBeNull();
    expect(sloDurationSeconds('1Y')).toBeNull();
    expect(sloDurationSeconds('2w')).toBe(1209600);
  });

  it('formats zero and sub-second budgets', () => {
    expect(formatBudgetDuration(0)).toBe('0 s');
    expect(formatBudgetDuration(0.4)).toBe('0 s');
    expect(formatBudgetDuration(86400)).toBe('1 d');
  });
});
