import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ActorLink } from './ActorLink';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('ActorLink', () => {
  it('links a user entity ref to its page', async () => {
    await renderInTestApp(<ActorLink actor="user:default/guest" />, {
      mountedRoutes,
    });
    expect(screen.getByRole('link', { name: 'guest' })).toHaveAttribute(
      'href',
      '/catalog/default/user/guest',
    );
  });

  it('shows a git author the catalog does not know as text, not an error', async () => {
    await renderInTestApp(
      <ActorLink actor="guest <guest@users.noreply.local>" />,
      { mountedRoutes },
    );
    expect(
      screen.getByText('guest <guest@users.noreply.local>'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link')).toBeNull();
  });
});
