import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { createSampleUsersAuthenticator } from './authenticator';
import { readSampleUsers } from './sampleUsers';

/**
 * The `sampleUsers` auth provider: sign-in as one of `pavedRoad.sampleUsers`
 * with the groups the catalog gives that user.
 */
export const authModuleSampleUsersProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'sample-users',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        providers.registerProvider({
          providerId: 'sampleUsers',
          factory: createProxyAuthProviderFactory({
            authenticator: createSampleUsersAuthenticator(
              readSampleUsers(config),
            ),
            // The catalog decides the ownership refs: the user and its groups.
            signInResolver: ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userEntityRef }),
          }),
        });
      },
    });
  },
});
