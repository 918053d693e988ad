import { Entity, parseEntityRef } from '@backstage/catalog-model';

/** The domain of the address a user without a profile e-mail commits as. */
export const NOREPLY_DOMAIN = 'users.noreply.local';

// git treats < and > as the e-mail delimiters and newlines as headers.
const clean = (value: unknown) =>
  typeof value === 'string'
    ? value.replace(/[<>\r\n\0]/g, '').trim() || undefined
    : undefined;

/**
 * The git identity a portal user's commits are authored with: the User
 * entity's profile name and e-mail, else its ref's name and a no-reply
 * address.
 *
 * @public
 */
export function gitAuthorOf(
  userRef: string,
  user: Entity | undefined,
): { name: string; email: string } {
  const profile = (user?.spec?.profile ?? {}) as {
    displayName?: unknown;
    email?: unknown;
  };
  const refName = parseEntityRef(userRef).name;
  const email =
    typeof profile.email === 'string' &&
    /^[^\s<>@]+@[^\s<>@]+$/.test(profile.email)
      ? profile.email
      : `${refName.replace(/[^A-Za-z0-9._-]/g, '-')}@${NOREPLY_DOMAIN}`;
  return { name: clean(profile.displayName) ?? refName, email };
}
