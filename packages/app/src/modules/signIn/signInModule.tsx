import {
  configApiRef,
  createFrontendModule,
  githubAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import { SampleUsersSignInPage } from './SampleUsersSignInPage';

const githubProvider: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in using GitHub',
  apiRef: githubAuthApiRef,
};

/**
 * Offers guest and sample-user sign-in on the embedded default and GitHub in
 * production, chosen by `pavedRoad.signIn.providers` so one build serves
 * both. With `sampleUsers` listed, the page shows the guest (when listed)
 * and every `pavedRoad.sampleUsers` entry.
 */
const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props => {
      const configApi = useApi(configApiRef);
      const wanted = configApi.getOptionalStringArray(
        'pavedRoad.signIn.providers',
      ) ?? ['guest'];
      if (wanted.includes('sampleUsers')) {
        return (
          <SampleUsersSignInPage
            {...props}
            offerGuest={wanted.includes('guest')}
          />
        );
      }
      const providers = wanted.map(id =>
        id === 'github' ? githubProvider : ('guest' as const),
      );
      return <SignInPage {...props} providers={providers} />;
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
