import { InputError, NotAllowedError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';
import { SAMPLE_USER_HEADER, SampleUser } from './sampleUsers';

/**
 * Picks the sample user named by the sign-in page's header. Built like the
 * guest provider: no credentials at all, so it refuses to run outside
 * development unless explicitly allowed.
 */
export function createSampleUsersAuthenticator(users: SampleUser[]) {
  return createProxyAuthenticator({
    async defaultProfileTransform(result: SampleUser) {
      return { profile: { displayName: result.title } };
    },
    initialize({ config }) {
      const disabled =
        process.env.NODE_ENV !== 'development' &&
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !==
          true;
      return { disabled };
    },
    async authenticate({ req }, { disabled }) {
      if (disabled) {
        throw new NotAllowedError(
          "Sample users cannot sign in outside of a development environment unless 'auth.providers.sampleUsers.dangerouslyAllowOutsideDevelopment' is enabled",
        );
      }
      const id = req.header(SAMPLE_USER_HEADER);
      const user = users.find(u => u.id === id);
      if (!user) {
        throw new InputError(
          `${SAMPLE_USER_HEADER}: not one of the configured sample users`,
        );
      }
      return { result: user };
    },
  });
}
