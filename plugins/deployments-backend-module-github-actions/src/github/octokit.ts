import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit as Core } from '@octokit/core';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

/** Retries of one request held back by a rate limit before it fails. */
const RATE_LIMIT_RETRIES = 4;
/** GitHub's advice for a 429 without `retry-after`: at least a minute. */
const FALLBACK_WAIT_SECONDS = 60;

export interface GithubOctokitOptions {
  baseUrl: string;
  /** Credentials per request, so GitHub App tokens are renewed as they expire. */
  credentials: () => Promise<{
    token?: string;
    headers?: Record<string, string>;
  }>;
  /** Told before each wait for a rate limit. */
  onWait: (message: string) => void;
  /** Milliseconds per second of `retry-after`; tests shrink it. */
  secondMs?: number;
}

type RequestError = {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
};

/** Seconds to wait after a 429: `retry-after`, else the rate limit's reset. */
export function secondsToWait(
  headers: Record<string, string | number | undefined> = {},
  now = Date.now(),
): number {
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) {
    return retryAfter;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && reset > 0) {
    return Math.max(Math.ceil(reset - now / 1000) + 1, 0);
  }
  return FALLBACK_WAIT_SECONDS;
}

/**
 * plugin-throttling 8 (the last major for @octokit/core 5, CommonJS) waits
 * out rate limits GitHub answers with 403 only; GitHub also answers 429.
 * This waits those out the same way.
 */
function tooManyRequests(octokit: Core, options: any) {
  const { onWait, secondMs } = options.tooManyRequests as {
    onWait: GithubOctokitOptions['onWait'];
    secondMs: number;
  };
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const { status, response } = error as RequestError;
        if (status !== 429 || attempt >= RATE_LIMIT_RETRIES) {
          throw error;
        }
        const seconds = secondsToWait(response?.headers);
        onWait(
          `GitHub answered 429 (too many requests) to ${
            requestOptions.method
          } ${
            new URL(requestOptions.url, 'https://api.github.com').pathname
          }; retrying in ${seconds} s`,
        );
        await new Promise(resolve => setTimeout(resolve, seconds * secondMs));
      }
    }
  });
}

const GithubOctokit = Octokit.plugin(throttling, retry, tooManyRequests);

const writeLimiters = new Map<number, Bottleneck.Group>();

/**
 * GitHub asks for a second between writes; the plugin's default limiter
 * does that with a fixed second, this one in the unit of the waits, shared
 * by every client of this process as the plugin's is.
 */
function writeLimiter(secondMs: number): Bottleneck.Group {
  let group = writeLimiters.get(secondMs);
  if (!group) {
    group = new Bottleneck.Group({ maxConcurrent: 1, minTime: secondMs });
    writeLimiters.set(secondMs, group);
  }
  return group;
}

/**
 * An Octokit that waits out GitHub's rate limits (403 with
 * `x-ratelimit-remaining: 0` until `x-ratelimit-reset`, secondary limits
 * and 429 after `retry-after`) and retries 5xx answers with backoff.
 */
export function createOctokit(options: GithubOctokitOptions): Octokit {
  const secondMs = options.secondMs ?? 1000;
  const onRateLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      if (retryCount >= RATE_LIMIT_RETRIES) {
        return false;
      }
      options.onWait(
        `GitHub's ${kind} rate limit held back ${request.method} ${request.url}; retrying in ${retryAfter} s`,
      );
      return true;
    };
  const octokit = new GithubOctokit({
    baseUrl: options.baseUrl,
    throttle: {
      onRateLimit: onRateLimit('primary'),
      onSecondaryRateLimit: onRateLimit('secondary'),
      retryAfterBaseValue: secondMs,
      write: writeLimiter(secondMs),
    },
    retry: {
      // 429 is waited out above; 409 and the rest are answers, not hiccups.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
      retryAfterBaseValue: secondMs,
    },
    tooManyRequests: { onWait: options.onWait, secondMs },
    // Octokit's own warnings (deprecations) are not the deployment's concern.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  } as ConstructorParameters<typeof GithubOctokit>[0]);
  octokit.hook.before('request', async request => {
    const credentials = await options.credentials();
    if (credentials.headers) {
      Object.assign(request.headers, credentials.headers);
    } else if (credentials.token) {
      request.headers.authorization = `token ${credentials.token}`;
    }
  });
  return octokit;
}
