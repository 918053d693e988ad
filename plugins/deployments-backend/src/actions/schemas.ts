import type { DeploymentDetails } from '@paved-road/plugin-deployments-common';
import type { z as zod } from 'zod/v3';

/** The zod the actions registry hands to `schema.input` / `schema.output`. */
export type Zod = typeof zod;

/**
 * Deployment settings as a model reads and writes them. The bounds are
 * described, not enforced here: the actions check values with the one
 * settings schema (paved-road-common) so an error names the field.
 */
export function settingsSchema(z: Zod) {
  return z.object({
    cluster: z
      .string()
      .describe('Cluster the service runs on, a lowercase name, e.g. `local`'),
    replicas: z.number().int().describe('Number of instances, 1 to 50'),
    cpuMillicores: z
      .number()
      .int()
      .describe(
        'CPU per instance in millicores, 100 to 16000 (500 = half a core)',
      ),
    memoryMiB: z
      .number()
      .int()
      .describe('Memory per instance in MiB, 128 to 65536'),
    regions: z.array(z.string()).describe('1 to 6 regions like `eu-west-1`'),
    rollout: z
      .object({
        strategy: z
          .enum(['canary', 'rolling', 'recreate'])
          .describe(
            '`canary`: a share of the traffic first, health checked, then the rest; `rolling`: instance by instance; `recreate`: all at once',
          ),
        canaryPercent: z
          .number()
          .int()
          .describe('Share of instances in the canary stage, 1 to 50'),
        healthCheckPath: z
          .string()
          .describe(
            'HTTP path the health check calls, e.g. `/actuator/health`',
          ),
      })
      .describe('How a new version replaces the running one'),
  });
}

export function settingsVersionSchema(z: Zod) {
  return z.object({
    entityRef: z
      .string()
      .describe('The service, e.g. `component:default/orders-service`'),
    version: z
      .number()
      .int()
      .describe(
        'Increases by one per change; pass it as `baseVersion` to change these settings',
      ),
    settings: settingsSchema(z),
    createdBy: z
      .string()
      .describe('User entity ref of whoever made this version'),
    createdAt: z.string().describe('ISO 8601 time of the change'),
    source: z
      .enum(['template', 'portal', 'repository', 'sample'])
      .describe(
        '`template`: the creation form; `portal`: changed through the portal, API or an action; `repository`: a commit in the repository itself',
      ),
    commitSha: z
      .string()
      .nullable()
      .describe('Commit holding this version of deploy/paved-road.yaml'),
    commitUrl: z
      .string()
      .nullable()
      .describe('Link to that commit, when the host has one'),
    message: z
      .string()
      .nullable()
      .describe('Why it changed (the commit message)'),
  });
}

export function deploymentSchema(z: Zod) {
  return z.object({
    id: z
      .string()
      .describe('Deployment id; pass it to get-deployment to follow it'),
    entityRef: z.string().describe('The service deployed'),
    environment: z
      .string()
      .describe('e.g. `production`, `staging` or `preview-<branch>`'),
    kind: z
      .enum(['deploy', 'rollback'])
      .describe('`rollback`: the previous successful version again'),
    status: z
      .enum(['pending', 'in-progress', 'succeeded', 'failed', 'rolled-back'])
      .describe(
        '`pending` and `in-progress` change; `succeeded`, `failed` and `rolled-back` are final',
      ),
    ref: z
      .string()
      .nullable()
      .describe('Branch, tag or commit that was asked for'),
    commitSha: z.string().nullable().describe('The commit deployed'),
    strategy: z.string().describe('Rollout strategy used'),
    triggeredBy: z.string().describe('User entity ref of whoever started it'),
    startedAt: z.string().describe('ISO 8601'),
    finishedAt: z.string().nullable().describe('ISO 8601; null while it runs'),
    reason: z.string().nullable().describe('Why it failed or was rolled back'),
    stages: z
      .array(
        z.object({
          name: z.string().describe('`build`, `canary`, `bake`, `promote`, …'),
          status: z.enum(['running', 'succeeded', 'failed']),
          startedAt: z.string(),
          finishedAt: z.string().nullable(),
          error: z.string().nullable(),
        }),
      )
      .describe('The rollout steps so far, in order'),
  });
}

/** The fields a model follows a deployment by, without internals. */
export function toDeploymentOutput(details: DeploymentDetails) {
  return {
    id: details.id,
    entityRef: details.entityRef,
    environment: details.environment,
    kind: details.kind,
    status: details.status,
    ref: details.ref,
    commitSha: details.commitSha,
    strategy: details.strategy,
    triggeredBy: details.triggeredBy,
    startedAt: details.startedAt,
    finishedAt: details.finishedAt,
    reason: details.reason,
    stages: details.stages.map(stage => ({
      name: stage.name,
      status: stage.status,
      startedAt: stage.startedAt,
      finishedAt: stage.finishedAt,
      error: stage.error,
    })),
  };
}
