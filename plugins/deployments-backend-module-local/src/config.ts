import { Config } from '@backstage/config';
import os from 'node:os';
import path from 'node:path';

/** The `deployments.local` settings, with their defaults applied. */
export interface LocalRuntimeConfig {
  workDirectory: string;
  skipTests: boolean;
  maxInstances: number;
  maxMemoryMiB: number;
  bakeSeconds: number;
  startupTimeoutSeconds: number;
  ports: { from: number; to: number };
}

export const DEFAULT_PORTS = { from: 18100, to: 18199 };

export function readLocalRuntimeConfig(config: Config): LocalRuntimeConfig {
  const local = config.getOptionalConfig('deployments.local');
  const positive = (key: string, fallback: number) => {
    const value = local?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `deployments.local.${key} must be a positive integer, got ${value}`,
      );
    }
    return value;
  };
  const ports = {
    from: positive('ports.from', DEFAULT_PORTS.from),
    to: positive('ports.to', DEFAULT_PORTS.to),
  };
  if (ports.to < ports.from || ports.to > 65535) {
    throw new Error(
      `deployments.local.ports must be a range within 1-65535, got ${ports.from}-${ports.to}`,
    );
  }
  const bakeSeconds = local?.getOptionalNumber('bakeSeconds') ?? 10;
  if (!(bakeSeconds >= 0)) {
    throw new Error(
      `deployments.local.bakeSeconds must be 0 or more, got ${bakeSeconds}`,
    );
  }
  return {
    workDirectory: path.resolve(
      local?.getOptionalString('workDirectory') ??
        path.join(os.tmpdir(), 'paved-road-local-runtime'),
    ),
    skipTests: local?.getOptionalBoolean('skipTests') ?? true,
    maxInstances: positive('maxInstances', 2),
    maxMemoryMiB: positive('maxMemoryMiB', 512),
    bakeSeconds,
    startupTimeoutSeconds: positive('startupTimeoutSeconds', 180),
    ports,
  };
}
