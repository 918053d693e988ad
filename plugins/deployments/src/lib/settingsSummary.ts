import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';

/**
 * The settings in one line, e.g.
 * `2 × 500m CPU / 512 MiB, eu-west-1, canary 10%`.
 */
export function settingsSummary(settings: DeploymentSettings): string {
  const { replicas, cpuMillicores, memoryMiB, regions, rollout } = settings;
  const strategy =
    rollout.strategy === 'canary'
      ? `canary ${rollout.canaryPercent}%`
      : rollout.strategy;
  return `${replicas} × ${cpuMillicores}m CPU / ${memoryMiB} MiB, ${regions.join(
    ', ',
  )}, ${strategy}`;
}
