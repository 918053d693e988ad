import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { authModuleSampleUsersProvider } from './module';
import { SAMPLE_USER_HEADER } from './sampleUsers';

const ADMIN: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'admin', namespace: 'default' },
  spec: { memberOf: ['platform-admins'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/platform-admins' }],
};

async function startAuth(allowOutsideDevelopment: boolean) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleSampleUsersProvider,
      catalogServiceMock.factory({ entities: [ADMIN] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            providers: {
              sampleUsers: {
                dangerouslyAllowOutsideDevelopment: allowOutsideDevelopment,
              },
            },
          },
          pavedRoad: {
            sampleUsers: [
              {
                id: 'admin',
                userEntityRef: 'user:default/admin',
                title: 'Platform Admin',
              },
              {
                id: 'ghost',
                userEntityRef: 'user:default/ghost',
                title: 'Nobody',
              },
            ],
          },
        },
      }),
    ],
  });
  return (sampleUser?: string) => {
    const req = request(server)
      .get('/api/auth/sampleUsers/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    return sampleUser ? req.set(SAMPLE_USER_HEADER, sampleUser) : req;
  };
}

describe('authModuleSampleUsersProvider', () => {
  it('signs in as the chosen sample user with the groups the catalog gives it', async () => {
    const refresh = await startAuth(true);
    const res = await refresh('admin');
    expect(res.status).toBe(200);
    expect(res.body.profile).toEqual({ displayName: 'Platform Admin' });
    expect(res.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/admin',
      ownershipEntityRefs: [
        'user:default/admin',
        'group:default/platform-admins',
      ],
    });
  });

  it('refuses a user that is not configured, and one the catalog lacks', async () => {
    const refresh = await startAuth(true);
    const unknown = await refresh('root');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      `${SAMPLE_USER_HEADER}: not one of the configured sample users`,
    );
    expect((await refresh()).status).toBe(400);
    expect((await refresh('ghost')).status).toBe(404);
  });

  it('refuses everyone outside development unless explicitly allowed', async () => {
    const refresh = await startAuth(false);
    const res = await refresh('admin');
    expect(res.status).toBe(403);
  });
});
