import http from 'node:http';

export interface HealthResult {
  healthy: boolean;
  /** e.g. `HTTP 503`, `ECONNREFUSED`: said in the rollout log. */
  detail: string;
  /** The HTTP status, when the instance answered. */
  status?: number;
}

/** GET http://127.0.0.1:<port><path>; healthy only on a 200. */
export function checkHealth(
  port: number,
  path: string,
  timeoutMs = 2000,
): Promise<HealthResult> {
  return new Promise(resolve => {
    const req = http.get(
      // A private agent: no pooled sockets to an instance that may go.
      { host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs },
      res => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve({ healthy: status === 200, detail: `HTTP ${status}`, status });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer in ${timeoutMs} ms`)),
    );
    req.on('error', error =>
      resolve({
        healthy: false,
        detail: (error as NodeJS.ErrnoException).code ?? error.message,
      }),
    );
  });
}
