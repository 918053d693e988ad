import { CliError, EXIT, exitCodeForStatus } from './errors';
import { readClaims } from './tokenClaims';

/** Where the token for a request comes from; undefined when signed out. */
export type TokenSource = () => Promise<string | undefined>;

export type RequestOptions = {
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Send no token (sign-in itself). */
  anonymous?: boolean;
  headers?: Record<string, string>;
  /** Milliseconds; long polls ask for more than the default. */
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 60_000;

/** A Backstage error body: `{ error: { name, message } }`. */
type ErrorBody = {
  error?: { name?: string; message?: string };
  /** The scaffolder's 400 on task creation: jsonschema's errors. */
  errors?: Array<{ property?: string; message?: string; stack?: string }>;
};

/**
 * The portal's REST API under `<url>/api/<plugin>`, with the signed-in
 * user's token. Every failure becomes a {@link CliError} with one line
 * naming what went wrong and the exit code for its class.
 */
export class PortalClient {
  readonly url: string;

  constructor(url: string, private readonly token: TokenSource) {
    this.url = normalizePortalUrl(url);
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('GET', path, options)).body;
  }

  async post<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.request<T>('POST', path, options)).body;
  }

  async put<T>(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    return this.request<T>('PUT', path, options);
  }

  async request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> {
    const url = new URL(`${this.url}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(item));
      }
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...options.headers,
    };
    let token: string | undefined;
    if (!options.anonymous) {
      token = await this.token();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
    }

    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw this.unreachable(error);
    }

    const text = await res.text();
    if (!res.ok) {
      throw this.httpError(res.status, text, token);
    }
    if (!text) {
      return { status: res.status, body: undefined as T };
    }
    try {
      return { status: res.status, body: JSON.parse(text) as T };
    } catch {
      throw new CliError(
        `${this.url} answered ${method} ${path} with something that is not JSON: is it a Paved Road portal?`,
        EXIT.failed,
      );
    }
  }

  private unreachable(error: unknown): CliError {
    const err = error as Error & {
      cause?: {
        code?: string;
        message?: string;
        errors?: Array<{ code?: string }>;
      };
    };
    // `localhost` tries ::1 and 127.0.0.1: an AggregateError of both.
    const code = err.cause?.code ?? err.cause?.errors?.[0]?.code;
    const reasons: Record<string, string> = {
      TimeoutError: 'no answer in time',
      ECONNREFUSED: 'connection refused',
      ENOTFOUND: 'unknown host',
    };
    const reason =
      reasons[err.name] ??
      (code && reasons[code]) ??
      code ??
      err.cause?.message ??
      err.message;
    return new CliError(
      `Cannot reach the portal at ${this.url} (${reason}). Is it running? Point at another with --url or PAVED_ROAD_URL.`,
      EXIT.unavailable,
    );
  }

  private httpError(status: number, text: string, token?: string): CliError {
    let body: ErrorBody | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const details = (body?.errors ?? []).map(describeSchemaError);
    const serverMessage =
      body?.error?.message ??
      (details.length ? 'invalid values' : firstLine(text));
    if (status === 401) {
      return new CliError(
        `Not signed in to ${this.url} (${serverMessage}). Run: paved-road login --url ${this.url}`,
        EXIT.auth,
        [],
        status,
      );
    }
    // A refusal depends on who asked: say who that was.
    const user = status === 403 && token ? readClaims(token).sub : undefined;
    const message = serverMessage || `the portal answered ${status}`;
    return new CliError(
      user ? `${message} (signed in as ${user})` : message,
      exitCodeForStatus(status),
      details,
      status,
    );
  }
}

/** `http://host:7007/` and `http://host:7007` are the same portal. */
export function normalizePortalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(
      `--url: '${url}' is not a URL like http://localhost:7007`,
      EXIT.usage,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(
      `--url: '${url}' must be an http or https URL`,
      EXIT.usage,
    );
  }
  return parsed.toString().replace(/\/+$/, '');
}

/** `instance.deployment.replicas` → `deployment.replicas: must be …`. */
function describeSchemaError(error: {
  property?: string;
  message?: string;
  stack?: string;
}): string {
  const field = (error.property ?? '').replace(/^instance\.?/, '');
  const message = error.message ?? error.stack ?? 'is invalid';
  return field ? `${field}: ${message}` : message;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300).trim();
}
