import { spawn } from 'node:child_process';
import readline from 'node:readline';

/** Hides the password of a URL such as https://user:token@host/... */
export function redact(text: string): string {
  return text.replace(/(\/\/[^/\s:@]+):[^/\s@]+@/g, '$1:***@');
}

/**
 * Runs a command to its end, handing every output line to `onLine`.
 * Rejects when it exits non-zero (with its last lines) or when `signal`
 * aborts (the command is killed first).
 */
export function runCommand(
  command: string,
  args: string[],
  options: {
    cwd: string;
    signal: AbortSignal;
    onLine(line: string): void;
    env?: NodeJS.ProcessEnv;
  },
): Promise<void> {
  const { signal, onLine } = options;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('cancelled'));
      return;
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a cancel stops what it started too.
      detached: true,
    });
    const tail: string[] = [];
    const line = (text: string) => {
      const clean = redact(text);
      tail.push(clean);
      if (tail.length > 20) tail.shift();
      onLine(clean);
    };
    readline.createInterface({ input: child.stdout! }).on('line', line);
    readline.createInterface({ input: child.stderr! }).on('line', line);

    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    signal.addEventListener('abort', kill, { once: true });
    child.once('error', error => {
      signal.removeEventListener('abort', kill);
      reject(
        new Error(
          `${command} could not be started (${
            (error as NodeJS.ErrnoException).code ?? error.message
          }); is it installed and on PATH?`,
        ),
      );
    });
    child.once('close', (code, killedBy) => {
      signal.removeEventListener('abort', kill);
      if (signal.aborted) {
        reject(new Error('cancelled'));
      } else if (code === 0) {
        resolve();
      } else {
        const exit =
          code === null ? `was killed (${killedBy})` : `exited with ${code}`;
        reject(
          new Error(
            `${redact([command, ...args].join(' '))} ${exit}${
              tail.length ? `:\n${tail.join('\n')}` : ''
            }`,
          ),
        );
      }
    });
  });
}
