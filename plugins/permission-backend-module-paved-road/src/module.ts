import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { GroupAncestry } from './policy/GroupAncestry';
import { PavedRoadPermissionPolicy } from './policy/PavedRoadPermissionPolicy';
import { readRoles } from './policy/readRoles';

const DEFAULT_GROUP_CACHE_SECONDS = 30;

/** Installs Paved Road's permission policy in the permission backend. */
export const permissionModulePavedRoadPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-road',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, logger, auth, userInfo, catalog }) {
        const seconds =
          config.getOptionalNumber('pavedRoad.permissions.groupCacheSeconds') ??
          DEFAULT_GROUP_CACHE_SECONDS;
        policy.setPolicy(
          new PavedRoadPermissionPolicy({
            roles: readRoles(config),
            ancestry: new GroupAncestry({
              catalog,
              auth,
              logger,
              ttlMs: seconds * 1000,
            }),
            userInfo,
          }),
        );
      },
    });
  },
});
