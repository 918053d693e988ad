import { CliError, EXIT } from './errors';
import {
  loadSession,
  saveSession,
  SignInMethod,
  StoredSession,
} from './credentials';
import { PortalClient, TokenSource } from './PortalClient';
import { readClaims, TokenClaims } from './tokenClaims';

/** Header the sample-users provider reads the chosen user's id from. */
const SAMPLE_USER_HEADER = 'x-paved-road-sample-user';

/** Renew a little before the token's end, so a request never races it. */
const RENEW_MARGIN_MS = 60_000;

function expiresAt(claims: TokenClaims): string | null {
  return typeof claims.exp === 'number'
    ? new Date(claims.exp * 1000).toISOString()
    : null;
}

/**
 * Signs in through a provider that needs no password (the guest, or a
 * sample user of the embedded default) and returns the session to store.
 */
export async function signIn(
  url: string,
  how: Exclude<SignInMethod, { method: 'token' }>,
): Promise<StoredSession> {
  const client = new PortalClient(url, async () => undefined);
  const provider = how.method === 'guest' ? 'guest' : 'sampleUsers';
  let body: { backstageIdentity?: { token?: string } };
  try {
    body = await client.post(`/api/auth/${provider}/refresh`, {
      anonymous: true,
      headers:
        how.method === 'sample-user' ? { [SAMPLE_USER_HEADER]: how.user } : {},
    });
  } catch (error) {
    if (error instanceof CliError && error.status !== undefined) {
      const what =
        how.method === 'guest'
          ? 'Guest sign-in'
          : `Sign-in as the sample user '${how.user}'`;
      throw new CliError(
        `${what} is not available on ${client.url} (${error.message}). Sign in with a token instead: paved-road login --token-stdin, or set PAVED_ROAD_TOKEN.`,
        EXIT.auth,
      );
    }
    throw error;
  }
  const token = body?.backstageIdentity?.token;
  if (!token) {
    throw new CliError(
      `${client.url} signed in without giving a Backstage token`,
      EXIT.auth,
    );
  }
  const claims = readClaims(token);
  return {
    ...how,
    token,
    userEntityRef: claims.sub ?? 'unknown',
    expiresAt: expiresAt(claims),
  };
}

/** A session from a token someone gave (CI, another sign-in provider). */
export function sessionFromToken(token: string): StoredSession {
  const claims = readClaims(token);
  return {
    method: 'token',
    token,
    userEntityRef: claims.sub ?? 'unknown',
    expiresAt: expiresAt(claims),
  };
}

function isExpired(session: StoredSession, now = Date.now()): boolean {
  return (
    session.expiresAt !== null &&
    Date.parse(session.expiresAt) - RENEW_MARGIN_MS <= now
  );
}

/**
 * Where requests get their token: `PAVED_ROAD_TOKEN` when set (CI),
 * else the session stored for the portal, renewed by signing in again
 * when it came from the guest or a sample user, and an error telling to
 * sign in again when a given token has expired.
 */
export function tokenSource(url: string): TokenSource {
  let cached: string | undefined;
  return async () => {
    const fromEnvironment = process.env.PAVED_ROAD_TOKEN?.trim();
    if (fromEnvironment) return fromEnvironment;
    if (cached) return cached;

    const session = await loadSession(url);
    if (!session) return undefined;
    if (!isExpired(session)) {
      cached = session.token;
      return cached;
    }
    if (session.method === 'token') {
      throw new CliError(
        `The token stored for ${url} expired at ${session.expiresAt}. Run: paved-road login --url ${url}`,
        EXIT.auth,
      );
    }
    const renewed = await signIn(
      url,
      session.method === 'guest'
        ? { method: 'guest' }
        : { method: 'sample-user', user: session.user },
    );
    await saveSession(url, renewed);
    cached = renewed.token;
    return cached;
  };
}
