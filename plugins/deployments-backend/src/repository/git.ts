import {
  GitCommandError,
  isolatedGitEnv,
} from '@paved-road/plugin-local-git-node';
import { execFile } from 'node:child_process';

/**
 * Runs the git binary with an argument array (never a shell) in the same
 * isolated environment the local git hosting uses, and returns stdout.
 */
export function git(
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        env: isolatedGitEnv(options.env),
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof error.code === 'number' ? error.code : null;
          // GitCommandError names args[0]: the subcommand, not --git-dir=<path>
          const command = args.filter(arg => !arg.startsWith('--git-dir='));
          reject(new GitCommandError(command, code, stderr || error.message));
          return;
        }
        resolve(stdout);
      },
    );
    // git may exit before reading stdin (it needs none): ignore EPIPE, the
    // exit code says how the command went.
    child.stdin?.on('error', () => {});
    if (options.input !== undefined) {
      child.stdin?.end(options.input);
    } else {
      child.stdin?.end();
    }
  });
}
