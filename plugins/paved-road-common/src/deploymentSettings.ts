import { z } from 'zod';

/** @public apiVersion of the deployment descriptor written into repositories. */
export const DEPLOYMENT_SETTINGS_API_VERSION = 'paved-road.io/v1';

/** @public Rollout strategies the deployment runtime understands. */
export const ROLLOUT_STRATEGIES = ['canary', 'rolling', 'recreate'] as const;

/**
 * @public
 * The one schema for deployment settings. It drives the creation form, the
 * settings tab, the API and the descriptor file in the repository, so every
 * bound below is what a user sees as a validation message.
 */
export const deploymentSettingsSchema = z.object({
  cluster: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,40}$/, 'cluster must be a lowercase name'),
  replicas: z.number().int().min(1).max(50),
  cpuMillicores: z.number().int().min(100).max(16000),
  memoryMiB: z.number().int().min(128).max(65536),
  regions: z
    .array(z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, 'region like eu-west-1'))
    .min(1)
    .max(6),
  rollout: z.object({
    strategy: z.enum(ROLLOUT_STRATEGIES),
    canaryPercent: z.number().int().min(1).max(50).default(10),
    healthCheckPath: z
      .string()
      .regex(/^\/[A-Za-z0-9/_.-]*$/, 'healthCheckPath must start with /')
      .default('/actuator/health'),
  }),
});

/** @public */
export type DeploymentSettings = z.infer<typeof deploymentSettingsSchema>;

/** @public Settings a new service starts with when the form leaves them. */
export const DEFAULT_DEPLOYMENT_SETTINGS: DeploymentSettings = {
  cluster: 'local',
  replicas: 2,
  cpuMillicores: 500,
  memoryMiB: 512,
  regions: ['eu-west-1'],
  rollout: {
    strategy: 'canary',
    canaryPercent: 10,
    healthCheckPath: '/actuator/health',
  },
};
