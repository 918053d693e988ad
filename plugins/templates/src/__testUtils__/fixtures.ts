import type { Entity } from '@backstage/catalog-model';
import type {
  TemplateHealthDetails,
  TemplateHealthFigures,
  TemplateHealthSummary,
} from '@paved-road/plugin-templates-common';
import type { TemplatesApi } from '../api/TemplatesApi';

export const KOTLIN = 'template:default/kotlin-spring-service';

/** A service made from the Kotlin template at 1.0.0. */
export const ordersProject: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: {
      'backstage.io/source-template': KOTLIN,
      'paved-road.io/template-version': '1.0.0',
    },
  },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

export const figures: TemplateHealthFigures = {
  taskCount: 20,
  succeeded: 17,
  failed: 3,
  cancelled: 0,
  successRate: 0.85,
  p50DurationMs: 42_000,
  p95DurationMs: 95_000,
  projectCount: 6,
  deployedProjects: 4,
  deploySucceeded: 3,
};

export const kotlinSummary: TemplateHealthSummary = {
  templateRef: KOTLIN,
  title: 'Kotlin service',
  latestVersion: '1.1.0',
  verdict: 'degraded',
  reasons: ['85% of 20 tasks succeeded in 30 days (below 90%)'],
  figures,
  recentReports: 1,
  latestChecks: [],
};

export const docsSummary: TemplateHealthSummary = {
  templateRef: 'template:default/docs-site',
  title: 'Docs site',
  verdict: 'failing',
  reasons: ['self-test render failed on unversioned'],
  figures: { ...figures, taskCount: 2, successRate: 1 },
  recentReports: 0,
  latestChecks: [
    {
      id: 'c1',
      templateRef: 'template:default/docs-site',
      version: 'unversioned',
      name: 'render',
      status: 'failed',
      reportedBy: 'external:ci',
      createdAt: '2026-12-07T10:00:00.000Z',
    },
  ],
};

export const kotlinDetails: TemplateHealthDetails = {
  ...kotlinSummary,
  versions: [
    {
      version: '1.1.0',
      figures: { ...figures, taskCount: 5 },
      failingSteps: [{ stepId: 'publish', count: 2 }],
    },
    {
      version: '1.0.0',
      figures: { ...figures, taskCount: 15 },
      failingSteps: [],
    },
  ],
  failingSteps: [
    { stepId: 'publish', count: 2 },
    { stepId: 'fetchSkeleton', count: 1 },
  ],
  reports: [
    {
      id: 'r1',
      templateRef: KOTLIN,
      version: '1.0.0',
      entityRef: 'component:default/orders',
      message: 'mvn verify fails on a fresh project',
      reportedBy: 'user:default/alice',
      createdAt: '2026-12-06T10:00:00.000Z',
    },
  ],
  checks: [
    {
      id: 'c2',
      templateRef: KOTLIN,
      version: '1.1.0',
      name: 'maven',
      status: 'passed',
      url: 'https://ci.example.com/runs/42',
      reportedBy: 'external:ci',
      createdAt: '2026-12-07T09:00:00.000Z',
    },
  ],
};

export function mockTemplatesApi(
  overrides: Partial<TemplatesApi> = {},
): jest.Mocked<TemplatesApi> {
  return {
    listTemplateHealth: jest
      .fn()
      .mockResolvedValue({ items: [docsSummary, kotlinSummary] }),
    getTemplateHealth: jest.fn().mockResolvedValue(kotlinDetails),
    reportTemplateProblem: jest.fn().mockImplementation(async request => ({
      id: 'r9',
      version: '1.1.0',
      reportedBy: 'user:default/guest',
      createdAt: '2026-12-07T12:00:00.000Z',
      ...request,
    })),
    ...overrides,
  } as jest.Mocked<TemplatesApi>;
}
