/**
 * Exit codes, documented in docs/cli.md. Scripts branch on them, so they
 * never change meaning.
 */
export const EXIT = {
  /** Done: the task completed, the deployment succeeded, the read worked. */
  ok: 0,
  /** It ran and failed: a task failed or was cancelled, a deployment failed or rolled back, the portal answered 500. */
  failed: 1,
  /** Bad input: usage, an invalid or missing value, a change the portal refused as it stands (400, 409). */
  usage: 2,
  /** Not signed in, the session ended, or not allowed (401, 403). */
  auth: 3,
  /** No such template, entity, task or deployment (404). */
  notFound: 4,
  /** The portal cannot be reached or cannot serve this now (connection refused, timeout, 502, 503, 504). */
  unavailable: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error the CLI reports as one line (plus optional detail lines, e.g.
 * one per invalid field) and an exit code; never with a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly details: string[] = [],
    /** The HTTP status the portal answered, when it came from the API. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad input from the command line: exit code 2. */
export function usageError(message: string, details: string[] = []) {
  return new CliError(message, EXIT.usage, details);
}

/** The exit code an HTTP error status maps to. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 502 || status === 503 || status === 504) {
    return EXIT.unavailable;
  }
  if (status >= 400 && status < 500) return EXIT.usage;
  return EXIT.failed;
}
