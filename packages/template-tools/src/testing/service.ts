import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { Jdk, jdkEnv } from './jdks';

const MINUTE = 60_000;

/** A generated service started from its jar, and what it has logged. */
export type RunningService = {
  port: number;
  get(
    path: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  /** Everything it printed so far. */
  log(): string;
  /** The first log line `match` accepts, waiting up to `timeoutMs`. */
  waitForLogLine(
    match: (line: string) => boolean,
    timeoutMs?: number,
  ): Promise<string>;
  stop(): Promise<void>;
};

/**
 * `java -jar jar` on a free port with `dir` as the working directory (where
 * the service finds its files, flags/flags.json among them), resolved once
 * `/actuator/health` answers. Console logs stay the service's default
 * (JSON), as in production.
 */
export async function startService(
  dir: string,
  jar: string,
  jdk: Jdk,
  env: Record<string, string> = {},
): Promise<RunningService> {
  const port = await freePort();
  const child = spawn(
    `${jdk.home}/bin/java`,
    ['-XX:TieredStopAtLevel=1', '-jar', jar, `--server.port=${port}`],
    {
      cwd: dir,
      env: { ...jdkEnv(jdk), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', d => {
    output += d;
  });
  child.stderr?.on('data', d => {
    output += d;
  });
  const service: RunningService = {
    port,
    get: (path, headers) => get(port, path, headers),
    log: () => output,
    async waitForLogLine(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = output.split('\n').find(match);
        if (line) return line;
        if (Date.now() > deadline) {
          throw new Error(
            `no such log line after ${timeoutMs} ms:\n${output.slice(-4000)}`,
          );
        }
        await sleep(200);
      }
    },
    stop: () => stopProcess(child),
  };
  const deadline = Date.now() + 3 * MINUTE;
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await service.get('/actuator/health').catch(() => undefined);
    if (answer) return service;
    await sleep(300);
  }
  await service.stop();
  throw new Error(`${jar} never answered on :${port}\n${output.slice(-4000)}`);
}

/** GET on loopback with a private agent (Jest blocks the global one). */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers, agent: false, timeout: 5000 },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}
