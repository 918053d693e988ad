import type { Entity } from '@backstage/catalog-model';
import type {
  Deployment,
  DeploymentDetails,
  DeploymentEnvironment,
  DeploymentEventsResponse,
  DeploymentLogLine,
  DeploymentRuntime,
  DeploymentSettingsVersion,
  DeploymentStage,
  DoraMetrics,
  ProjectState,
  ServiceLevelObjective,
  ServiceLevelObjectivesProblem,
  ServiceLevelObjectivesResponse,
} from '@paved-road/plugin-deployments-common';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  type DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import type { DeploymentsApi } from '../api/DeploymentsApi';

export const ordersRef = {
  kind: 'Component',
  namespace: 'default',
  name: 'orders-service',
};

export const ordersEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout' },
};

/** A stored settings version of orders-service. */
export function settingsVersion(
  version: number,
  overrides: Partial<Omit<DeploymentSettingsVersion, 'settings'>> & {
    settings?: Partial<DeploymentSettings>;
  } = {},
): DeploymentSettingsVersion {
  const { settings, ...rest } = overrides;
  return {
    entityRef: 'component:default/orders-service',
    version,
    settings: { ...DEFAULT_DEPLOYMENT_SETTINGS, ...settings },
    createdBy: 'user:default/alice',
    createdAt: '2026-01-05T12:00:00.000Z',
    source: 'portal',
    commitSha: `${version}`.padEnd(40, 'a'),
    commitUrl: null,
    message: `change ${version}`,
    ...rest,
  };
}

/** A project from template v1: no deploy/slo.yaml. */
export const noSlos: ServiceLevelObjectivesResponse = {
  slos: [],
  problems: [],
  file: 'deploy/slo.yaml',
  found: false,
};

export const GOOD_QUERY =
  'sum(rate(http_server_requests_seconds_count{application="orders-service",status!~"5.."}[5m]))';
export const TOTAL_QUERY =
  'sum(rate(http_server_requests_seconds_count{application="orders-service"}[5m]))';

/** The availability SLO of template v2, as `GET …/slos` answers it. */
export const availabilitySlo: ServiceLevelObjective = {
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
    good: { sourceType: 'Prometheus', query: GOOD_QUERY },
    bad: null,
    total: { sourceType: 'Prometheus', query: TOTAL_QUERY },
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
};

/** `GET …/slos` of a project whose deploy/slo.yaml holds these. */
export function slosFound(
  slos: ServiceLevelObjective[],
  problems: ServiceLevelObjectivesProblem[] = [],
): ServiceLevelObjectivesResponse {
  return { slos, problems, file: 'deploy/slo.yaml', found: true };
}

export const activeProject: ProjectState = {
  entityRef: 'component:default/orders-service',
  repoUrl: 'https://github.com/acme/orders-service',
  deactivated: false,
  deactivatedBy: null,
  deactivatedAt: null,
  settingsError: null,
};

export const SHA_1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const SHA_2 = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';

/** A deployment of orders-service as the history lists it. */
export function deployment(
  overrides: Partial<Deployment> & { id: string },
): Deployment {
  return {
    entityRef: 'component:default/orders-service',
    environment: 'production',
    version: SHA_1,
    status: 'succeeded',
    strategy: 'canary',
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:07:00.000Z',
    source: 'portal',
    commitSha: SHA_1,
    reason: null,
    ...overrides,
  };
}

/** A deployment of orders-service as `GET /deployments/:id` answers. */
export function deploymentDetails(
  overrides: Partial<DeploymentDetails> = {},
): DeploymentDetails {
  return {
    id: 'run-1',
    entityRef: 'component:default/orders-service',
    environment: 'production',
    version: SHA_2,
    status: 'pending',
    strategy: 'canary',
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-12T09:00:00.000Z',
    finishedAt: null,
    source: 'portal',
    kind: 'deploy',
    ref: 'main',
    commitSha: SHA_2,
    committedAt: '2026-01-12T08:00:00.000Z',
    previousCommitSha: SHA_1,
    settingsVersion: 2,
    settings: DEFAULT_DEPLOYMENT_SETTINGS,
    reason: null,
    attempts: 1,
    cancelRequestedBy: null,
    cancelRequestedAt: null,
    stages: [],
    ...overrides,
  };
}

/** A stage that started at 09:00:`startSecond` and ran `seconds` (null: runs). */
export function stage(
  name: string,
  status: DeploymentStage['status'],
  startSecond: number,
  seconds: number | null = null,
): DeploymentStage {
  const at = (second: number) =>
    new Date(
      Date.parse('2026-01-12T09:00:00.000Z') + second * 1000,
    ).toISOString();
  return {
    name,
    status,
    attempt: 1,
    startedAt: at(startSecond),
    finishedAt: seconds === null ? null : at(startSecond + seconds),
    error: null,
  };
}

/** Log lines numbered from `firstSeq`. */
export function logLines(
  firstSeq: number,
  ...lines: string[]
): DeploymentLogLine[] {
  return lines.map((line, i) => ({
    seq: firstSeq + i,
    at: '2026-01-12T09:00:00.000Z',
    line,
  }));
}

/** An events page; `cursor` is the last line's seq (or `after`). */
export function eventsPage(
  lines: DeploymentLogLine[],
  options: { after?: number; finished?: boolean } = {},
): DeploymentEventsResponse {
  const last = lines[lines.length - 1];
  return {
    items: lines,
    cursor: String(last ? last.seq : options.after ?? 0),
    finished: options.finished ?? false,
    status: options.finished ? 'succeeded' : 'in-progress',
  };
}

export const emptyRuntime: DeploymentRuntime = {
  entityRef: 'component:default/orders-service',
  environment: 'production',
  provider: 'local',
  url: null,
  instances: [],
  desiredReplicas: null,
};

export const emptyDora: DoraMetrics = {
  entityRef: 'component:default/orders-service',
  environment: 'production',
  days: 30,
  from: '2025-12-13T00:00:00.000Z',
  to: '2026-01-12T00:00:00.000Z',
  deploymentFrequency: { successful: 0, perWeek: 0 },
  leadTimeForChanges: {
    medianSeconds: null,
    meanSeconds: null,
    deployments: 0,
  },
  changeFailureRate: { failed: 0, total: 0, rate: null },
  timeToRestore: { medianSeconds: null, incidents: 0, restored: 0 },
};

/** Production of orders-service, two healthy instances, as the list shows it. */
export const productionEnvironment: DeploymentEnvironment = {
  name: 'production',
  kind: 'standard',
  branch: null,
  url: 'http://localhost:18080',
  instances: { total: 2, healthy: 2 },
  lastDeployment: {
    id: 'd1',
    status: 'succeeded',
    ref: 'main',
    commitSha: SHA_1,
    triggeredBy: 'user:default/alice',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:07:00.000Z',
  },
  createdBy: 'user:default/alice',
  createdAt: '2026-01-02T09:00:00.000Z',
  expiresAt: null,
};

/** The preview of `feature/login-form`, one instance, expiring `expiresAt`. */
export function previewEnvironment(
  overrides: Partial<DeploymentEnvironment> = {},
): DeploymentEnvironment {
  return {
    name: 'preview-feature-login-form',
    kind: 'preview',
    branch: 'feature/login-form',
    url: 'http://localhost:18180',
    instances: { total: 1, healthy: 1 },
    lastDeployment: {
      id: 'p1',
      status: 'succeeded',
      ref: 'feature/login-form',
      commitSha: SHA_2,
      triggeredBy: 'user:default/bob',
      startedAt: '2026-01-12T09:00:00.000Z',
      finishedAt: '2026-01-12T09:01:05.000Z',
    },
    createdBy: 'user:default/bob',
    createdAt: '2026-01-12T09:00:00.000Z',
    expiresAt: '2026-01-14T09:01:05.000Z',
    ...overrides,
  };
}

/** Every method a jest.fn; `overrides` sets what a test needs. */
export function mockDeploymentsApi(
  overrides: Partial<DeploymentsApi> = {},
): jest.Mocked<DeploymentsApi> {
  return {
    listDeployments: jest.fn().mockResolvedValue([]),
    getLatestSettings: jest.fn().mockResolvedValue(undefined),
    listSettingsVersions: jest.fn().mockResolvedValue([]),
    getServiceLevelObjectives: jest.fn().mockResolvedValue(noSlos),
    updateSettings: jest.fn(),
    getProject: jest.fn().mockResolvedValue(activeProject),
    deactivate: jest.fn().mockResolvedValue(undefined),
    reactivate: jest.fn().mockResolvedValue(undefined),
    getCreationRecord: jest.fn().mockResolvedValue(undefined),
    createDeployment: jest.fn(),
    rollback: jest.fn(),
    getDeployment: jest.fn(),
    getDeploymentEvents: jest.fn().mockResolvedValue(eventsPage([])),
    cancelDeployment: jest.fn(),
    getRuntime: jest.fn().mockResolvedValue(emptyRuntime),
    getDoraMetrics: jest.fn().mockResolvedValue(emptyDora),
    listEnvironments: jest.fn().mockResolvedValue([productionEnvironment]),
    teardownEnvironment: jest.fn().mockResolvedValue(undefined),
    ...overrides,
  } as jest.Mocked<DeploymentsApi>;
}
