import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GroupAncestry } from './GroupAncestry';
import { PavedRoadPermissionPolicy } from './PavedRoadPermissionPolicy';
import { readRoles } from './readRoles';

describe('PavedRoadPermissionPolicy', () => {
  it('denies everything to a caller that is not signed in', async () => {
    const policy = new PavedRoadPermissionPolicy({
      roles: { adminGroups: [], platformEngineerGroups: [] },
      ancestry: new GroupAncestry({
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        ttlMs: 30_000,
      }),
      userInfo: mockServices.userInfo(),
    });
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });
});

describe('readRoles', () => {
  it('normalises group refs, defaulting kind and namespace', () => {
    const config = new ConfigReader({
      pavedRoad: {
        permissions: {
          adminGroups: ['group:default/Platform-Admins'],
          platformEngineerGroups: ['platform-engineers'],
        },
      },
    });
    expect(readRoles(config)).toEqual({
      adminGroups: ['group:default/platform-admins'],
      platformEngineerGroups: ['group:default/platform-engineers'],
    });
  });

  it('refuses a ref that is not a group, naming the key', () => {
    const config = new ConfigReader({
      pavedRoad: { permissions: { adminGroups: ['user:default/admin'] } },
    });
    expect(() => readRoles(config)).toThrow(
      "pavedRoad.permissions.adminGroups: 'user:default/admin' is not a group reference",
    );
  });

  it('grants no role when nothing is configured', () => {
    expect(readRoles(new ConfigReader({}))).toEqual({
      adminGroups: [],
      platformEngineerGroups: [],
    });
  });
});
