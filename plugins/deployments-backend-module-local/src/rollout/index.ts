import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import { canary } from './canary';
import { recreate } from './recreate';
import { Rollout } from './Rollout';
import { rolling } from './rolling';

export type { Rollout } from './Rollout';

export const strategies: Record<
  DeploymentSettings['rollout']['strategy'],
  (rollout: Rollout) => Promise<void>
> = { canary, rolling, recreate };
