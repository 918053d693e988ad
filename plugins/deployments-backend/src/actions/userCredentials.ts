import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';

/**
 * Writes are made by people: the commit author, the audit actor and the
 * permission decision are the user's. A service token alone may not write,
 * as on the REST routes (`allow: ['user']`).
 */
export function requireUser(
  auth: AuthService,
  credentials: BackstageCredentials,
): BackstageCredentials<BackstageUserPrincipal> {
  if (!auth.isPrincipal(credentials, 'user')) {
    throw new NotAllowedError('This action must be called as a signed-in user');
  }
  return credentials;
}
