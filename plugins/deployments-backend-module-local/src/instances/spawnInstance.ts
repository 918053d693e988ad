import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { artifactFiles } from '../runtime/paths';
import { InstanceLauncher } from './launcher';

/**
 * Starts one instance in its own process group with its output appended
 * to `logFile` (not a pipe: an instance must be able to outlive this
 * process, for re-adoption after a crash of the backend).
 */
export async function spawnInstance(options: {
  launcher: InstanceLauncher;
  artifact: string;
  port: number;
  memoryMiB: number;
  logFile: string;
}): Promise<ChildProcess> {
  const { launcher, artifact, port, memoryMiB, logFile } = options;
  await fs.mkdir(path.dirname(logFile), { recursive: true });
  const out = await fs.open(logFile, 'a');
  try {
    const { command, args } = launcher.command({ artifact, port, memoryMiB });
    // Among the repository's files when the build kept them (older
    // artifacts and other builders have none).
    const files = artifactFiles(artifact);
    const cwd = (await fs.stat(files).catch(() => null))?.isDirectory()
      ? files
      : path.dirname(artifact);
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', out.fd, out.fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', error =>
        reject(
          new Error(
            `${command} could not be started (${
              (error as NodeJS.ErrnoException).code ?? error.message
            }); is it installed and on PATH?`,
          ),
        ),
      );
    });
    // The backend may exit without waiting for it.
    child.unref();
    return child;
  } finally {
    await out.close();
  }
}

/** The last lines an instance wrote, for a failure message. */
export async function logTail(logFile: string, lines = 15): Promise<string> {
  try {
    const text = await fs.readFile(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
