import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';

/** True while a process with this id exists (ours or not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The command line of a process, to tell an instance we started from an
 * unrelated process that got its id after a reboot. /proc on Linux, `ps`
 * elsewhere; undefined when the process is gone.
 */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  try {
    const raw = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').join(' ').trim();
  } catch {
    return new Promise(resolve => {
      execFile('ps', ['-o', 'args=', '-p', String(pid)], (error, stdout) =>
        resolve(error ? undefined : stdout.trim() || undefined),
      );
    });
  }
}

/** True when `pid` runs the given artifact on the given port. */
export async function runsInstance(
  pid: number,
  instance: { artifact: string; port: number },
): Promise<boolean> {
  const commandLine = await commandLineOf(pid);
  return (
    commandLine !== undefined &&
    commandLine.includes(instance.artifact) &&
    commandLine.includes(`--server.port=${instance.port}`)
  );
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function signal(pid: number, name: NodeJS.Signals) {
  try {
    // Instances lead their own process group (spawned detached): the
    // group goes, with anything the JVM started.
    process.kill(-pid, name);
  } catch {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGTERM (a Spring Boot app shuts down gracefully), then SIGKILL after
 * `graceMs`. Resolves once the process is gone.
 */
export async function stopProcess(pid: number, graceMs = 10_000) {
  if (!isAlive(pid)) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      signal(pid, 'SIGKILL');
      await sleep(100);
      if (!isAlive(pid)) return;
    }
    await sleep(50);
  }
}
