import { NotFoundError } from '@backstage/errors';
import {
  type TemplateHealthDetails,
  type TemplateHealthListResponse,
  type TemplateHealthSummary,
  type TemplateVersionHealth,
  UNVERSIONED,
} from '@paved-road/plugin-templates-common';
import semver from 'semver';
import type { TemplateHealthConfig } from './config';
import {
  type DatabaseTemplateHealthStore,
  emptyFigures,
  figuresKey,
} from './DatabaseTemplateHealthStore';
import { judgeTemplate } from './verdict';

const FAILING_STEPS = 5;
const LISTED = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Newest first: semver versions by precedence, then the rest by name. */
function compareVersionsDesc(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) {
    return semver.rcompare(va, vb);
  }
  if (va || vb) {
    return va ? -1 : 1;
  }
  return b.localeCompare(a);
}

/** Assembles figures, reports and checks into verdicts. */
export class TemplateHealthService {
  constructor(
    private readonly store: DatabaseTemplateHealthStore,
    private readonly config: TemplateHealthConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Every template's verdict. `canSee` says whether the caller may read a
   * template the catalog has; templates gone from the catalog, known only
   * by their tasks or checks, have no entity to ask about and are listed.
   */
  async list(
    canSee: (templateRef: string) => boolean = () => true,
  ): Promise<TemplateHealthListResponse> {
    const since = new Date(
      this.now().getTime() - this.config.windowDays * DAY_MS,
    );
    const [templates, allTime, window, reports, checks, collectedAt] =
      await Promise.all([
        this.store.listTemplates(),
        this.store.figures({ byVersion: false }),
        this.store.figures({ byVersion: false, since }),
        this.store.countReports(since),
        this.store.latestChecks(),
        this.store.collectedAt(),
      ]);

    // Templates in the catalog, and any gone from it (or not yet in it) that
    // have tasks or self-test results.
    const titles = new Map(templates.map(t => [t.templateRef, t]));
    const refs = new Set([
      ...titles.keys(),
      ...allTime.keys(),
      ...checks.map(c => c.templateRef),
    ]);
    const visible = [...refs].filter(ref => !titles.has(ref) || canSee(ref));
    const items = visible.sort().map((templateRef): TemplateHealthSummary => {
      const template = titles.get(templateRef);
      const latest = template?.latestVersion ?? UNVERSIONED;
      const latestChecks = checks.filter(
        c => c.templateRef === templateRef && c.version === latest,
      );
      const recentReports =
        reports.get(figuresKey({ templateRef, version: latest })) ?? 0;
      const { verdict, reasons } = judgeTemplate(
        {
          figures: window.get(templateRef)?.figures ?? emptyFigures(),
          recentReports,
          latestChecks,
        },
        this.config,
      );
      return {
        templateRef,
        ...(template?.title ? { title: template.title } : {}),
        ...(template?.latestVersion
          ? { latestVersion: template.latestVersion }
          : {}),
        verdict,
        reasons,
        figures: allTime.get(templateRef)?.figures ?? emptyFigures(),
        recentReports,
        latestChecks,
      };
    });
    return { items, ...(collectedAt ? { collectedAt } : {}) };
  }

  /** One template's figures per version, reports and checks; 404 as {@link list} hides it. */
  async get(
    templateRef: string,
    canSee: (templateRef: string) => boolean = () => true,
  ): Promise<TemplateHealthDetails> {
    if (!canSee(templateRef) && (await this.inCatalog(templateRef))) {
      throw new NotFoundError(`No health data for ${templateRef}`);
    }
    const { items } = await this.list(canSee);
    const summary = items.find(item => item.templateRef === templateRef);
    const [perVersion, stepsPerVersion, steps, reports, checks] =
      await Promise.all([
        this.store.figures({ byVersion: true, templateRef }),
        this.store.failingSteps({
          templateRef,
          byVersion: true,
          limit: FAILING_STEPS,
        }),
        this.store.failingSteps({
          templateRef,
          byVersion: false,
          limit: FAILING_STEPS,
        }),
        this.store.listReports(templateRef, LISTED),
        this.store.listChecks(templateRef, LISTED),
      ]);
    if (!summary && reports.length === 0 && checks.length === 0) {
      throw new NotFoundError(`No health data for ${templateRef}`);
    }

    const versionNames = new Set<string>(
      [...perVersion.values()].map(v => v.version ?? UNVERSIONED),
    );
    if (summary?.latestVersion) {
      versionNames.add(summary.latestVersion);
    }
    const versions = [...versionNames]
      .sort(compareVersionsDesc)
      .map((version): TemplateVersionHealth => {
        const key = figuresKey({ templateRef, version });
        return {
          version,
          figures: perVersion.get(key)?.figures ?? emptyFigures(),
          failingSteps: stepsPerVersion.get(key) ?? [],
        };
      });

    const base: TemplateHealthSummary = summary ?? {
      templateRef,
      verdict: 'healthy',
      reasons: [],
      figures: emptyFigures(),
      recentReports: 0,
      latestChecks: [],
    };
    return {
      ...base,
      versions,
      failingSteps: steps.get(templateRef) ?? [],
      reports,
      checks,
    };
  }

  private async inCatalog(templateRef: string): Promise<boolean> {
    const templates = await this.store.listTemplates();
    return templates.some(t => t.templateRef === templateRef);
  }
}
