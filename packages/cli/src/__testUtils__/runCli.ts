import { execFile } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/paved-road');

/** Single-quoted for the shell `script` runs the command with. */
function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export type CliRun = {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, for `--output json` runs. */
  json: any;
};

/**
 * Runs `paved-road <args>` as a child process, as a user would: its own
 * config directory, no colours, and no terminal (stdin is a pipe) unless
 * `terminal` asks for one: then util-linux `script` gives it a pseudo
 * terminal and types `input` into it.
 */
export function runCli(
  args: string[],
  options: {
    env?: Record<string, string | undefined>;
    input?: string;
    terminal?: boolean;
  } = {},
): Promise<CliRun> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    PAVED_ROAD_TOKEN: undefined,
    PAVED_ROAD_URL: undefined,
    NO_COLOR: '1',
    ...options.env,
  };
  return new Promise(resolve => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const [file, argv] = options.terminal
      ? ['script', ['--quiet', '--return', '--command', command, '/dev/null']]
      : [process.execPath, [BIN, ...args]];
    const child = execFile(
      file,
      argv,
      {
        env: env as NodeJS.ProcessEnv,
        timeout: 120_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) code = typeof error.code === 'number' ? error.code : 1;
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
