import { UserInfoService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  RESOURCE_TYPE_CATALOG_ENTITY,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  taskCancelPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { costsBudgetUpdatePermission } from '@paved-road/plugin-costs-common';
import {
  deploymentCreatePermission,
  deploymentSettingsUpdatePermission,
  projectDeactivatePermission,
} from '@paved-road/plugin-deployments-common';
import {
  templateHealthCheckCreatePermission,
  templateProjectUpgradePermission,
} from '@paved-road/plugin-templates-common';
import { GroupAncestry } from './GroupAncestry';

/** Changes to an entity that only its owners (and admins) may make. */
export const OWNER_PERMISSIONS: Permission[] = [
  deploymentSettingsUpdatePermission,
  deploymentCreatePermission,
  projectDeactivatePermission,
  templateProjectUpgradePermission,
];

/** Catalog management that only platform engineers (and admins) may do. */
export const PLATFORM_ENGINEER_PERMISSIONS: Permission[] = [
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogIngestionManagePermission,
  // A template's own test results decide whether it is marked failing.
  templateHealthCheckCreatePermission,
];

/** Group refs (lower-cased) that grant a role, directly or to child groups. */
export type PavedRoadRoles = {
  adminGroups: string[];
  platformEngineerGroups: string[];
};

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Paved Road's permission policy. Everything not listed above is allowed
 * to signed-in users, so stock plugins keep working; the gated permissions
 * are decided here. Per-entity rules are conditional decisions, so the
 * catalog and scaffolder evaluate them (in their database for lists).
 */
export class PavedRoadPermissionPolicy implements PermissionPolicy {
  private readonly roles: PavedRoadRoles;
  private readonly ancestry: GroupAncestry;
  private readonly userInfo: UserInfoService;

  constructor(options: {
    roles: PavedRoadRoles;
    ancestry: GroupAncestry;
    userInfo: UserInfoService;
  }) {
    this.roles = options.roles;
    this.ancestry = options.ancestry;
    this.userInfo = options.userInfo;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Service principals never reach the policy (the permissions service
    // allows them); anything else without a user is not signed in.
    if (!user) {
      return DENY;
    }
    const { permission } = request;
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    const claims = await this.ancestry.expand(ownershipEntityRefs);

    if (hasRole(claims, this.roles.adminGroups)) {
      return ALLOW;
    }
    const platformEngineer = hasRole(claims, this.roles.platformEngineerGroups);

    // An upgrade only proposes a branch or pull request; platform engineers
    // roll a template version out across teams (the fleet's batch upgrade).
    if (
      isPermission(permission, templateProjectUpgradePermission) &&
      platformEngineer
    ) {
      return ALLOW;
    }

    if (OWNER_PERMISSIONS.some(p => isPermission(permission, p))) {
      return isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
        ? createCatalogConditionalDecision(
            permission,
            catalogConditions.isEntityOwner({ claims }),
          )
        : DENY;
    }

    if (isPermission(permission, costsBudgetUpdatePermission)) {
      return isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
        ? isOneOfTheGroups(permission, claims)
        : DENY;
    }

    if (PLATFORM_ENGINEER_PERMISSIONS.some(p => isPermission(permission, p))) {
      return platformEngineer ? ALLOW : DENY;
    }

    if (
      isPermission(permission, catalogEntityRefreshPermission) &&
      !platformEngineer
    ) {
      // Refreshing a template republishes it; everything else anyone may
      // refresh.
      return createCatalogConditionalDecision(catalogEntityRefreshPermission, {
        not: catalogConditions.isEntityKind({ kinds: ['template'] }),
      });
    }

    if (isPermission(permission, taskCancelPermission)) {
      return isResourcePermission(permission, RESOURCE_TYPE_SCAFFOLDER_TASK)
        ? createScaffolderTaskConditionalDecision(
            permission,
            scaffolderTaskConditions.isTaskOwner({
              createdBy: [userEntityRef],
            }),
          )
        : DENY;
    }

    return ALLOW;
  }
}

function hasRole(claims: string[], roleGroups: string[]): boolean {
  return claims.some(claim =>
    roleGroups.includes(claim.toLocaleLowerCase('en-US')),
  );
}

/**
 * Allows the resource when it is one of the user's groups (a business unit
 * the user belongs to directly or through a child team). The catalog's
 * is-entity-owner rule does not match a group itself, so this composes its
 * kind and metadata rules.
 */
function isOneOfTheGroups(
  permission: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
  claims: string[],
): PolicyDecision {
  const [first, ...rest] = claims
    .map(ref => parseEntityRef(ref))
    .filter(ref => ref.kind.toLocaleLowerCase('en-US') === 'group')
    .map(group => ({
      allOf: [
        catalogConditions.isEntityKind({ kinds: ['group'] }),
        catalogConditions.hasMetadata({
          key: 'namespace',
          value: group.namespace,
        }),
        catalogConditions.hasMetadata({ key: 'name', value: group.name }),
      ] as [
        ReturnType<typeof catalogConditions.isEntityKind>,
        ...ReturnType<typeof catalogConditions.hasMetadata>[],
      ],
    }));
  if (!first) {
    return DENY;
  }
  return createCatalogConditionalDecision(permission, {
    anyOf: [first, ...rest],
  });
}
