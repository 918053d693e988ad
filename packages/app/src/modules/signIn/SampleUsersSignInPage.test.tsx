import { renderInTestApp } from '@backstage/frontend-test-utils';
import { IdentityApi } from '@backstage/core-plugin-api';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { SampleUsersSignInPage } from './SampleUsersSignInPage';

const config = {
  app: { title: 'Paved Road' },
  backend: { baseUrl: 'http://localhost:7007' },
  pavedRoad: {
    sampleUsers: [
      { id: 'admin', title: 'Platform Admin', description: 'May do all' },
      { id: 'carol', title: 'Carol Costa', description: 'Fleet team' },
    ],
  },
};

/** What the auth backend's proxied refresh endpoint answers. */
function session(userEntityRef: string, groups: string[]) {
  const payload = btoa(JSON.stringify({ exp: Date.now() / 1000 + 3600 }));
  return {
    ok: true,
    json: async () => ({
      profile: {},
      backstageIdentity: {
        token: `header.${payload}.signature`,
        identity: {
          type: 'user',
          userEntityRef,
          ownershipEntityRefs: [userEntityRef, ...groups],
        },
      },
    }),
  };
}

describe('SampleUsersSignInPage', () => {
  const fetchMock = jest.fn();

  beforeEach(() => {
    localStorage.clear();
    fetchMock.mockReset();
    global.fetch = fetchMock;
  });

  it('offers the guest (button "Enter") and every sample user', async () => {
    await renderInTestApp(
      <SampleUsersSignInPage offerGuest onSignInSuccess={jest.fn()} />,
      { config },
    );
    expect(screen.getAllByRole('button', { name: /Enter/ })).toHaveLength(1);
    expect(
      screen.getByRole('button', { name: 'Sign in as Platform Admin' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Carol Costa' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Fleet team')).toBeInTheDocument();
  });

  it('signs in as the chosen sample user through the sampleUsers provider', async () => {
    fetchMock.mockResolvedValue(
      session('user:default/admin', ['group:default/platform-admins']),
    );
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <SampleUsersSignInPage offerGuest onSignInSuccess={onSignInSuccess} />,
      { config },
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Sign in as Platform Admin' }),
    );
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://localhost:7007/api/auth/sampleUsers/refresh');
    expect(new Headers(init.headers).get('x-paved-road-sample-user')).toBe(
      'admin',
    );
    const identity: IdentityApi = onSignInSuccess.mock.calls[0][0];
    await expect(identity.getBackstageIdentity()).resolves.toMatchObject({
      ownershipEntityRefs: [
        'user:default/admin',
        'group:default/platform-admins',
      ],
    });
  });

  it('signs in as the guest through the guest provider and forgets the choice on sign-out', async () => {
    fetchMock.mockResolvedValue(
      session('user:default/guest', ['group:default/checkout']),
    );
    const onSignInSuccess = jest.fn();
    await renderInTestApp(
      <SampleUsersSignInPage offerGuest onSignInSuccess={onSignInSuccess} />,
      { config },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Enter' }));
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0][0]).toBe(
      'http://localhost:7007/api/auth/guest/refresh',
    );
    expect(localStorage.getItem('@paved-road/sign-in:choice')).not.toBeNull();

    const identity: IdentityApi = onSignInSuccess.mock.calls[0][0];
    await identity.signOut();
    expect(localStorage.getItem('@paved-road/sign-in:choice')).toBeNull();
  });
});
