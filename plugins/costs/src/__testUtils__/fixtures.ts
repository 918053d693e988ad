import { ResponseError } from '@backstage/errors';
import type { CostEstimate } from '@paved-road/plugin-costs-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';

/** Deployment settings as the creation form and the settings editor hold them. */
export const SETTINGS: DeploymentSettings = {
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

/**
 * The estimate of `replicas` replicas of 0.5 vCPU and 0.5 GiB in each region,
 * 720 hours, at 0.04 per vCPU-hour and 0.005 per GiB-hour.
 */
export function estimateOf(
  replicas: number,
  regions: string[] = ['eu-west-1'],
): CostEstimate {
  const lines = regions.map(region => {
    const cpuHours = replicas * 0.5 * 720;
    const memoryGiBHours = replicas * 0.5 * 720;
    const cpuCost = cpuHours * 0.04;
    const memoryCost = memoryGiBHours * 0.005;
    return {
      cluster: 'local',
      region,
      replicas,
      cpuHours,
      memoryGiBHours,
      pricePerCpuHour: 0.04,
      pricePerGiBHour: 0.005,
      cpuCost,
      memoryCost,
      total: cpuCost + memoryCost,
    };
  });
  return {
    currency: 'EUR',
    month: '2026-11',
    hoursInMonth: 720,
    monthlyTotal: lines.reduce((sum, line) => sum + line.total, 0),
    lines,
  };
}

/** A ResponseError as the costs backend sends it. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'GET', url: '/api/costs' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: name,
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}
