import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';

/** Must match the auth module's SAMPLE_USER_HEADER. */
const SAMPLE_USER_HEADER = 'x-paved-road-sample-user';
/** Who was chosen, so a reload signs in again without asking. */
const CHOICE_KEY = '@paved-road/sign-in:choice';

/** A card on the page: the guest or one of `pavedRoad.sampleUsers`. */
type Choice = { provider: 'guest' } | { provider: 'sampleUsers'; id: string };

function readChoice(): Choice | undefined {
  try {
    return JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Signing out forgets the choice, so the cards show again. */
function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(CHOICE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * The embedded default's sign-in page: one card for the guest (the
 * Checkout developer, button "Enter") and one per configured sample user,
 * so both sides of every permission rule can be tried.
 */
export function SampleUsersSignInPage(
  props: SignInPageProps & { offerGuest: boolean },
) {
  const configApi = useApi(configApiRef);
  const [choice, setChoice] = useState(readChoice);
  const users = (configApi.getOptionalConfigArray('pavedRoad.sampleUsers') ?? [])
    .map(user => ({
      id: user.getString('id'),
      title: user.getString('title'),
      description: user.getOptionalString('description'),
    }));

  const choose = (next: Choice) => {
    localStorage.setItem(CHOICE_KEY, JSON.stringify(next));
    setChoice(next);
  };

  if (choice) {
    const forget = () => {
      localStorage.removeItem(CHOICE_KEY);
      setChoice(undefined);
    };
    return (
      <ProxiedSignInPage
        provider={choice.provider}
        headers={
          choice.provider === 'sampleUsers'
            ? { [SAMPLE_USER_HEADER]: choice.id }
            : undefined
        }
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Content>
            <ErrorPanel title="Sign-in failed" error={error ?? new Error()} />
            <Button variant="outlined" color="primary" onClick={forget}>
              Back to sign-in
            </Button>
          </Content>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title={configApi.getString('app.title')} />
      <Content>
        <Grid container spacing={2}>
          {props.offerGuest && (
            <SignInCard
              title="Guest"
              description="Developer in the Checkout team (Payments)"
              action="Enter"
              onClick={() => choose({ provider: 'guest' })}
            />
          )}
          {users.map(user => (
            <SignInCard
              key={user.id}
              title={user.title}
              description={user.description}
              action={`Sign in as ${user.title}`}
              onClick={() => choose({ provider: 'sampleUsers', id: user.id })}
            />
          ))}
        </Grid>
      </Content>
    </Page>
  );
}

function SignInCard(props: {
  title: string;
  description?: string;
  action: string;
  onClick: () => void;
}) {
  return (
    <Grid item xs={12} sm={6} md={4}>
      <InfoCard
        title={props.title}
        variant="fullHeight"
        actions={
          <Button color="primary" variant="outlined" onClick={props.onClick}>
            {props.action}
          </Button>
        }
      >
        <Typography variant="body1">{props.description}</Typography>
      </InfoCard>
    </Grid>
  );
}
