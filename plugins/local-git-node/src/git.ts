import { execFile } from 'node:child_process';

/** Options for one git invocation. */
export type GitRunOptions = {
  /** Extra environment, on top of the isolated base environment. */
  env?: Record<string, string>;
  /** Written to stdin. */
  input?: string | Buffer;
  /** Largest stdout accepted; larger output fails the call. */
  maxBuffer?: number;
};

/** A failed git invocation, with its exit code and stderr. */
export class GitCommandError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(args: string[], exitCode: number | null, stderr: string) {
    // Only the subcommand: arguments may hold paths the caller did not choose
    // to expose, and never any credentials since none are passed to git here.
    super(`git ${args[0] ?? ''} failed (${exitCode}): ${stderr.trim()}`);
    this.name = 'GitCommandError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/**
 * The environment every git call runs with. Inherited GIT_* variables (for
 * example GIT_DIR when the backend is started from a git hook) would redirect
 * commands to another repository, and the operator's global or system config
 * (autocrlf, commit signing, templates) must not change what gets written, so
 * both are ignored.
 */
export function isolatedGitEnv(
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) {
      env[key] = value;
    }
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** Runs git with an argument array (never a shell) and returns stdout. */
export function runGit(
  args: string[],
  options: GitRunOptions & { encoding: 'buffer' },
): Promise<Buffer>;
export function runGit(
  args: string[],
  options?: GitRunOptions,
): Promise<string>;
export function runGit(
  args: string[],
  options: GitRunOptions & { encoding?: 'buffer' } = {},
): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        env: isolatedGitEnv(options.env),
        encoding: 'buffer',
        maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          reject(
            new GitCommandError(
              args,
              code,
              stderr?.toString('utf8') || error.message,
            ),
          );
          return;
        }
        resolve(
          options.encoding === 'buffer' ? stdout : stdout.toString('utf8'),
        );
      },
    );
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    } else {
      child.stdin?.end();
    }
  });
}
