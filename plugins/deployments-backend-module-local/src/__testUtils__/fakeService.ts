import type {
  DeploymentReporter,
  DeploymentRequest,
} from '@paved-road/plugin-deployments-node';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { ArtifactBuilder } from '../build/ArtifactBuilder';
import { InstanceLauncher } from '../instances/launcher';

/**
 * How a fake version behaves. The "artifact" is a small Node.js HTTP
 * server standing in for a Spring Boot jar: it listens on
 * --server.port, answers `/` with its version and pid, and its health
 * path as configured here.
 */
export interface FakeVersion {
  /** HTTP status of the health path (200 unless said). */
  health?: number;
  /** Only this many instances of the version ever answer healthy. */
  healthyInstances?: number;
  /** Exits this long after start. */
  crashAfterMs?: number;
  /** The build fails with this message. */
  buildError?: string;
  /** The build takes this long (cancellable). */
  buildMs?: number;
}

const SERVER_SOURCE = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const dir = __dirname;
const config = JSON.parse(fs.readFileSync(path.join(dir, 'app.json'), 'utf8'));
const port = Number(process.argv.find(a => a.startsWith('--server.port=')).split('=')[1]);
let ordinal = 0;
for (let n = 1; ; n++) {
  try { fs.writeFileSync(path.join(dir, 'slot-' + n), String(process.pid), { flag: 'wx' }); ordinal = n; break; }
  catch { /* taken */ }
}
const healthy = config.healthyInstances === undefined || ordinal <= config.healthyInstances;
const server = http.createServer((req, res) => {
  if (req.url === config.healthCheckPath) {
    res.writeHead(healthy ? config.health : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: healthy && config.health === 200 ? 'UP' : 'DOWN' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ version: config.version, pid: process.pid, path: req.url }));
});
server.listen(port, () => console.log('listening on ' + port));
if (config.crashAfterMs !== undefined) setTimeout(() => { console.log('crashing'); process.exit(3); }, config.crashAfterMs);
process.on('SIGTERM', () => { console.log('stopping'); server.close(); process.exit(0); });
`;

/**
 * Builds fake versions keyed by commit sha into the deployment's
 * directory: `app.js` plus `app.json`. Records what it was asked.
 */
export class FakeBuilder implements ArtifactBuilder {
  readonly builds: string[] = [];

  constructor(private readonly versions: Record<string, FakeVersion> = {}) {}

  async build(
    request: DeploymentRequest,
    options: {
      directory: string;
      log(line: string): void;
      signal: AbortSignal;
    },
  ): Promise<string> {
    const version = this.versions[request.commitSha] ?? {};
    this.builds.push(request.commitSha);
    options.log(`building ${request.commitSha}`);
    if (version.buildMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, version.buildMs);
        options.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new Error('cancelled'));
        });
      });
    }
    if (version.buildError) throw new Error(version.buildError);
    await fs.mkdir(options.directory, { recursive: true });
    await fs.writeFile(path.join(options.directory, 'app.js'), SERVER_SOURCE);
    await fs.writeFile(
      path.join(options.directory, 'app.json'),
      JSON.stringify({
        version: request.commitSha,
        health: version.health ?? 200,
        healthyInstances: version.healthyInstances,
        crashAfterMs: version.crashAfterMs,
        healthCheckPath: request.settings.rollout.healthCheckPath,
      }),
    );
    return path.join(options.directory, 'app.js');
  }
}

/** Runs the fake artifact with this Node.js; records the memory asked. */
export class NodeLauncher implements InstanceLauncher {
  readonly memory: number[] = [];

  command(options: { artifact: string; port: number; memoryMiB: number }) {
    this.memory.push(options.memoryMiB);
    return {
      command: process.execPath,
      args: [options.artifact, `--server.port=${options.port}`],
    };
  }
}

export interface RecordedStage {
  name: string;
  failed?: string;
}

/** A reporter that keeps stages and log lines; `hold` pauses a stage. */
export class TestReporter implements DeploymentReporter {
  readonly stages: RecordedStage[] = [];
  readonly lines: string[] = [];
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** Runs at the start of the named stage, before its work. */
  onStage: Record<string, () => Promise<void> | void> = {};

  async stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const stage: RecordedStage = { name };
    this.stages.push(stage);
    await this.onStage[name]?.();
    try {
      return await fn();
    } catch (error) {
      stage.failed = (error as Error).message;
      throw error;
    }
  }

  log(line: string) {
    this.lines.push(line);
  }

  get stageNames() {
    return this.stages.map(s => s.name);
  }
}

export function settings(
  overrides: Partial<Omit<DeploymentSettings, 'rollout'>> & {
    rollout?: Partial<DeploymentSettings['rollout']>;
  } = {},
): DeploymentSettings {
  return {
    ...DEFAULT_DEPLOYMENT_SETTINGS,
    ...overrides,
    rollout: {
      ...DEFAULT_DEPLOYMENT_SETTINGS.rollout,
      healthCheckPath: '/actuator/health',
      ...overrides.rollout,
    },
  };
}

let counter = 0;

export function deploymentRequest(
  commitSha: string,
  overrides: Partial<DeploymentRequest> = {},
): DeploymentRequest {
  counter += 1;
  return {
    deploymentId: `deployment-${counter}-${commitSha}`,
    entityRef: 'component:default/orders-service',
    environment: 'production',
    ref: 'main',
    commitSha,
    repository: {
      cloneUrl: 'http://localhost:7007/api/local-git/orders-service.git',
      defaultBranch: 'main',
    },
    settings: settings(),
    ...overrides,
  };
}

/** GET on loopback with a private agent. */
export function get(
  url: string,
): Promise<{ status: number; body: string; json?: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', chunk => {
        body += chunk;
      });
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Versions the stable URL answers with over `requests` requests. */
export async function versionsBehind(url: string, requests = 8) {
  const versions = new Map<string, Set<number>>();
  for (let n = 0; n < requests; n++) {
    const res = await get(url);
    if (res.status !== 200) {
      throw new Error(`${url} answered ${res.status}: ${res.body}`);
    }
    const pids = versions.get(res.json.version) ?? new Set();
    pids.add(res.json.pid);
    versions.set(res.json.version, pids);
  }
  return versions;
}

export function isRunning(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
