import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalRuntimeConfig } from '../config';
import { LocalRuntimeStore } from '../database/LocalRuntimeStore';
import { LocalDeploymentProvider } from '../LocalDeploymentProvider';
import { LocalRuntime } from '../runtime/LocalRuntime';
import { FakeBuilder, FakeVersion, NodeLauncher } from './fakeService';

export function databaseOf(knex: Knex): DatabaseService {
  return { getClient: async () => knex };
}

export async function tempDir(prefix = 'local-runtime-test-') {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

// Ports of the test range differ per jest worker, so workers never meet.
const workerOffset = (Number(process.env.JEST_WORKER_ID ?? 1) - 1) * 50;

export function testConfig(
  workDirectory: string,
  overrides: Partial<LocalRuntimeConfig> = {},
): LocalRuntimeConfig {
  return {
    workDirectory,
    skipTests: true,
    maxInstances: 2,
    maxMemoryMiB: 512,
    bakeSeconds: 1,
    startupTimeoutSeconds: 5,
    ports: { from: 28100 + workerOffset, to: 28149 + workerOffset },
    ...overrides,
  };
}

/** A runtime and provider over a database, with fake builds and Node instances. */
export async function startRuntime(options: {
  knex: Knex;
  workDirectory: string;
  versions?: Record<string, FakeVersion>;
  config?: Partial<LocalRuntimeConfig>;
  healthIntervalMs?: number;
}) {
  const store = await LocalRuntimeStore.create({
    database: databaseOf(options.knex),
  });
  const launcher = new NodeLauncher();
  const builder = new FakeBuilder(options.versions);
  const runtime = new LocalRuntime({
    store,
    launcher,
    logger: mockServices.logger.mock(),
    config: testConfig(options.workDirectory, options.config),
    healthIntervalMs: options.healthIntervalMs ?? 200,
  });
  await runtime.start();
  const provider = new LocalDeploymentProvider(runtime, builder);
  return { store, runtime, provider, launcher, builder };
}
