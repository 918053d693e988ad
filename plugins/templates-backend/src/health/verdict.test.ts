import { ConfigReader } from '@backstage/config';
import type { TemplateCheck } from '@paved-road/plugin-templates-common';
import {
  DEFAULT_TEMPLATE_HEALTH_CONFIG,
  readTemplateHealthConfig,
} from './config';
import { emptyFigures } from './DatabaseTemplateHealthStore';
import { judgeTemplate } from './verdict';

const thresholds = DEFAULT_TEMPLATE_HEALTH_CONFIG;

function tasks(succeeded: number, failed: number) {
  return {
    ...emptyFigures(),
    taskCount: succeeded + failed,
    succeeded,
    failed,
    successRate:
      succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
  };
}

const failedCheck: TemplateCheck = {
  id: 'c1',
  templateRef: 'template:default/kotlin-spring-service',
  version: '1.1.0',
  name: 'maven',
  status: 'failed',
  reportedBy: 'external:ci',
  createdAt: '2026-12-07T10:00:00.000Z',
};

describe('judgeTemplate', () => {
  const none = { recentReports: 0, latestChecks: [] };

  it('is healthy with good figures and without enough data to judge', () => {
    expect(
      judgeTemplate({ figures: tasks(19, 1), ...none }, thresholds),
    ).toEqual({
      verdict: 'healthy',
      reasons: [],
    });
    // 0 of 4 would be failing, but 4 tasks are below minTasks (5).
    expect(
      judgeTemplate({ figures: tasks(0, 4), ...none }, thresholds).verdict,
    ).toBe('healthy');
  });

  it('is degraded below degradedSuccessRate and failing below failingSuccessRate', () => {
    expect(
      judgeTemplate({ figures: tasks(17, 3), ...none }, thresholds),
    ).toEqual({
      verdict: 'degraded',
      reasons: ['85% of 20 tasks succeeded in 30 days (below 90%)'],
    });
    expect(
      judgeTemplate({ figures: tasks(4, 6), ...none }, thresholds),
    ).toEqual({
      verdict: 'failing',
      reasons: ['40% of 10 tasks succeeded in 30 days (below 50%)'],
    });
  });

  it('is failing when the latest self-test failed, whatever the figures', () => {
    expect(
      judgeTemplate(
        {
          figures: tasks(20, 0),
          recentReports: 0,
          latestChecks: [failedCheck],
        },
        thresholds,
      ),
    ).toEqual({
      verdict: 'failing',
      reasons: ['self-test maven failed on 1.1.0'],
    });
  });

  it('is degraded when too few projects deploy or users report problems', () => {
    const figures = {
      ...tasks(20, 0),
      projectCount: 5,
      deployedProjects: 4,
      deploySucceeded: 2,
    };
    expect(judgeTemplate({ figures, ...none }, thresholds)).toEqual({
      verdict: 'degraded',
      reasons: ['2 of 4 projects last deployed successfully (below 80%)'],
    });
    expect(
      judgeTemplate(
        { figures: tasks(20, 0), recentReports: 3, latestChecks: [] },
        thresholds,
      ),
    ).toEqual({
      verdict: 'degraded',
      reasons: ['3 problem reports on the latest version in 30 days'],
    });
  });

  it('follows thresholds from config', () => {
    const strict = readTemplateHealthConfig(
      new ConfigReader({
        templates: {
          health: { degradedSuccessRate: 0.99, degradedReports: 1 },
        },
      }),
    );
    expect(
      judgeTemplate(
        { figures: tasks(97, 3), recentReports: 1, latestChecks: [] },
        strict,
      ),
    ).toEqual({
      verdict: 'degraded',
      reasons: [
        '97% of 100 tasks succeeded in 30 days (below 99%)',
        '1 problem report on the latest version in 30 days',
      ],
    });
  });
});

describe('readTemplateHealthConfig', () => {
  it('applies the defaults', () => {
    expect(readTemplateHealthConfig(new ConfigReader({}))).toEqual(
      DEFAULT_TEMPLATE_HEALTH_CONFIG,
    );
  });

  it.each([
    [
      { degradedSuccessRate: 1.5 },
      /degradedSuccessRate must be between 0 and 1/,
    ],
    [{ failingSuccessRate: 0.95 }, /failingSuccessRate must not be above/],
    [{ windowDays: 0 }, /windowDays must be positive/],
  ])('refuses %j', (health, error) => {
    expect(() =>
      readTemplateHealthConfig(new ConfigReader({ templates: { health } })),
    ).toThrow(error);
  });
});
