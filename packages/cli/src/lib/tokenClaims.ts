export type TokenClaims = {
  sub?: string;
  ent?: string[];
  exp?: number;
};

/**
 * The claims of a Backstage token, read without verifying it: only to
 * show who is signed in and when the session ends. The portal verifies
 * every request.
 */
export function readClaims(token: string): TokenClaims {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}
