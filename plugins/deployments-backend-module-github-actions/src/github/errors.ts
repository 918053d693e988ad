/** The HTTP status of an Octokit RequestError, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub's own message (`{ "message": ... }`), else the error's. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } })?.response?.data;
  const message = (data as { message?: unknown } | undefined)?.message;
  if (typeof message === 'string' && message) {
    return message;
  }
  return error instanceof Error ? error.message : String(error);
}
