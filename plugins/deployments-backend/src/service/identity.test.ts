import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Identities } from './identity';

const credentials = mockCredentials.user();

function identities() {
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'guest', namespace: 'default' },
        spec: { memberOf: [] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'alice', namespace: 'default' },
        spec: { profile: { email: 'alice@example.com' }, memberOf: [] },
      },
    ],
  });
  return new Identities(catalog, mockServices.logger.mock());
}

describe('Identities', () => {
  it('maps a commit author back to the User with that profile e-mail', async () => {
    await expect(
      identities().userOfCommitAuthor(
        { name: 'Alice', email: 'alice@example.com' },
        credentials,
      ),
    ).resolves.toBe('user:default/alice');
  });

  it('round-trips a User without an e-mail through the address it commits with', async () => {
    const ids = identities();
    const author = await ids.commitAuthor('user:default/guest', credentials);
    expect(author).toEqual({
      name: 'guest',
      email: 'guest@users.noreply.local',
    });
    await expect(ids.userOfCommitAuthor(author, credentials)).resolves.toBe(
      'user:default/guest',
    );
  });

  it('keeps an author the catalog does not know as git shows it', async () => {
    await expect(
      identities().userOfCommitAuthor(
        { name: 'Jo Doe', email: 'ghost@users.noreply.local' },
        credentials,
      ),
    ).resolves.toBe('Jo Doe <ghost@users.noreply.local>');
  });
});
