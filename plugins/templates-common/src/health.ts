import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';

/**
 * How a template is doing, judged by the thresholds in `templates.health.*`:
 * `failing` when its own test fails or most tasks fail, `degraded` when some
 * do, projects do not deploy or users report problems.
 *
 * @public
 */
export type TemplateVerdict = 'healthy' | 'degraded' | 'failing';

/** @public The version of a task whose template declares none. */
export const UNVERSIONED = 'unversioned';

/** @public Figures of one template, or of one of its versions. */
export type TemplateHealthFigures = {
  /** Finished tasks: completed, failed and cancelled. */
  taskCount: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** `succeeded / (succeeded + failed)`; cancelled tasks do not count. Null without any. */
  successRate: number | null;
  /** Task duration in milliseconds, nearest rank. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Catalog entities made from the template (or version). */
  projectCount: number;
  /** Of those, how many have a deployment at all, and how many of them last deployed successfully. */
  deployedProjects: number;
  deploySucceeded: number;
};

/** @public A step that failed tasks, with how often. */
export type FailingStep = { stepId: string; count: number };

/** @public A user's report of a problem with a template. */
export type TemplateReport = {
  id: string;
  templateRef: string;
  version: string;
  entityRef?: string;
  message: string;
  reportedBy: string;
  createdAt: string;
};

/** @public The result of one run of a template's own test. */
export type TemplateCheck = {
  id: string;
  templateRef: string;
  version: string;
  name: string;
  status: 'passed' | 'failed';
  url?: string;
  reportedBy: string;
  createdAt: string;
};

/** @public One template in `GET /health`. */
export type TemplateHealthSummary = {
  templateRef: string;
  title?: string;
  /** The version the catalog's template entity declares now. */
  latestVersion?: string;
  verdict: TemplateVerdict;
  /** Why the verdict is not `healthy`, one line each. */
  reasons: string[];
  /** All versions, all time. */
  figures: TemplateHealthFigures;
  /** Reports about the latest version within the verdict window. */
  recentReports: number;
  /** Latest result per check name for the latest version. */
  latestChecks: TemplateCheck[];
};

/** @public `GET /health` */
export type TemplateHealthListResponse = {
  items: TemplateHealthSummary[];
  /** When the collector last finished, if it ever did. */
  collectedAt?: string;
};

/** @public One version of a template in `GET /health/:namespace/:name`. */
export type TemplateVersionHealth = {
  version: string;
  figures: TemplateHealthFigures;
  failingSteps: FailingStep[];
};

/** @public `GET /health/:namespace/:name` */
export type TemplateHealthDetails = TemplateHealthSummary & {
  versions: TemplateVersionHealth[];
  failingSteps: FailingStep[];
  reports: TemplateReport[];
  checks: TemplateCheck[];
};

/** @public The longest report message accepted. */
export const TEMPLATE_REPORT_MAX_LENGTH = 4000;

const entityRefField = z.string().trim().min(1).max(512);
const versionField = z.string().trim().min(1).max(200);

/** @public `POST /health/reports` */
export const templateReportRequestSchema = z.object({
  templateRef: entityRefField,
  version: versionField.optional(),
  entityRef: entityRefField.optional(),
  message: z.string().trim().min(1).max(TEMPLATE_REPORT_MAX_LENGTH),
});

/** @public */
export type TemplateReportRequest = z.infer<typeof templateReportRequestSchema>;

/** @public `POST /health/checks` */
export const templateCheckRequestSchema = z.object({
  templateRef: entityRefField,
  version: versionField,
  name: z.string().trim().min(1).max(200),
  status: z.enum(['passed', 'failed']),
  url: z
    .string()
    .url()
    .max(2000)
    .refine(u => /^https?:\/\//i.test(u), 'must be an http(s) URL')
    .optional(),
});

/** @public */
export type TemplateCheckRequest = z.infer<typeof templateCheckRequestSchema>;

/**
 * Record a template self-test result as a user (CI normally posts as a
 * service principal, which needs no permission).
 *
 * @public
 */
export const templateHealthCheckCreatePermission = createPermission({
  name: 'templates.health.check.create',
  attributes: { action: 'create' },
});

/** @public Every permission of template health, for registration. */
export const templateHealthPermissions = [templateHealthCheckCreatePermission];
