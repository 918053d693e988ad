import { ConfigReader } from '@backstage/config';
import os from 'node:os';
import path from 'node:path';
import { readLocalRuntimeConfig } from './config';

describe('readLocalRuntimeConfig', () => {
  it('has a default for every key', () => {
    expect(readLocalRuntimeConfig(new ConfigReader({}))).toEqual({
      workDirectory: path.join(os.tmpdir(), 'paved-road-local-runtime'),
      skipTests: true,
      maxInstances: 2,
      maxMemoryMiB: 512,
      bakeSeconds: 10,
      startupTimeoutSeconds: 180,
      ports: { from: 18100, to: 18199 },
    });
  });

  it('reads every key, a relative work directory against the working directory', () => {
    const config = new ConfigReader({
      deployments: {
        local: {
          workDirectory: 'runtime',
          skipTests: false,
          maxInstances: 3,
          maxMemoryMiB: 256,
          bakeSeconds: 0,
          startupTimeoutSeconds: 60,
          ports: { from: 19000, to: 19010 },
        },
      },
    });
    expect(readLocalRuntimeConfig(config)).toEqual({
      workDirectory: path.resolve('runtime'),
      skipTests: false,
      maxInstances: 3,
      maxMemoryMiB: 256,
      bakeSeconds: 0,
      startupTimeoutSeconds: 60,
      ports: { from: 19000, to: 19010 },
    });
  });

  it.each([
    [{ maxInstances: 0 }, /maxInstances must be a positive integer, got 0/],
    [{ maxMemoryMiB: 1.5 }, /maxMemoryMiB must be a positive integer/],
    [{ bakeSeconds: -1 }, /bakeSeconds must be 0 or more, got -1/],
    [
      { ports: { from: 19010, to: 19000 } },
      /ports must be a range within 1-65535, got 19010-19000/,
    ],
  ])('refuses %j', (local, message) => {
    expect(() =>
      readLocalRuntimeConfig(new ConfigReader({ deployments: { local } })),
    ).toThrow(message);
  });
});
