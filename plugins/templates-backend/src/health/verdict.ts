import type {
  TemplateCheck,
  TemplateHealthFigures,
  TemplateVerdict,
} from '@paved-road/plugin-templates-common';
import type { TemplateHealthConfig } from './config';

/** What a verdict is judged on. */
export type VerdictInputs = {
  /** Task figures of the verdict window (all versions), project figures now. */
  figures: TemplateHealthFigures;
  /** Reports about the latest version within the window. */
  recentReports: number;
  /** The latest result of each check of the latest version. */
  latestChecks: TemplateCheck[];
};

const percent = (rate: number) => `${Math.round(rate * 100)}%`;

/**
 * `failing` when a self-test of the latest version failed last or the
 * success rate is below `failingSuccessRate`; `degraded` below
 * `degradedSuccessRate`, when too few projects deploy, or with
 * `degradedReports` reports; else `healthy`. Rates count only with enough
 * data (`minTasks`, `minDeployedProjects`). Each reason says which rule.
 */
export function judgeTemplate(
  inputs: VerdictInputs,
  thresholds: TemplateHealthConfig,
  windowDays = thresholds.windowDays,
): { verdict: TemplateVerdict; reasons: string[] } {
  const failing: string[] = [];
  const degraded: string[] = [];
  const { figures } = inputs;

  for (const check of inputs.latestChecks) {
    if (check.status === 'failed') {
      failing.push(`self-test ${check.name} failed on ${check.version}`);
    }
  }

  const decided = figures.succeeded + figures.failed;
  if (figures.successRate !== null && decided >= thresholds.minTasks) {
    const rate = `${percent(
      figures.successRate,
    )} of ${decided} tasks succeeded in ${windowDays} days`;
    if (figures.successRate < thresholds.failingSuccessRate) {
      failing.push(`${rate} (below ${percent(thresholds.failingSuccessRate)})`);
    } else if (figures.successRate < thresholds.degradedSuccessRate) {
      degraded.push(
        `${rate} (below ${percent(thresholds.degradedSuccessRate)})`,
      );
    }
  }

  if (figures.deployedProjects >= thresholds.minDeployedProjects) {
    const rate = figures.deploySucceeded / figures.deployedProjects;
    if (rate < thresholds.degradedDeployRate) {
      degraded.push(
        `${figures.deploySucceeded} of ${
          figures.deployedProjects
        } projects last deployed successfully (below ${percent(
          thresholds.degradedDeployRate,
        )})`,
      );
    }
  }

  if (inputs.recentReports >= thresholds.degradedReports) {
    const reports = inputs.recentReports;
    degraded.push(
      `${reports} problem report${
        reports === 1 ? '' : 's'
      } on the latest version in ${windowDays} days`,
    );
  }

  if (failing.length > 0) {
    return { verdict: 'failing', reasons: [...failing, ...degraded] };
  }
  if (degraded.length > 0) {
    return { verdict: 'degraded', reasons: degraded };
  }
  return { verdict: 'healthy', reasons: [] };
}
