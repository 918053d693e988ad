import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';

/** Whether the user may take an action now, and if not, why (for a tooltip). */
export interface ActionGate {
  allowed: boolean;
  /** Undefined while the permission is being checked. */
  reason?: string;
}

/** The owner as people name it, e.g. `team-checkout`. */
export function ownerName(entity: Entity): string {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner === '') {
    return 'the owning team';
  }
  try {
    return humanizeEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
      { defaultKind: 'group' },
    );
  } catch {
    return owner;
  }
}

/**
 * Asks the permission framework whether the user may `action` on the entity;
 * a refusal carries the reason a person can act on.
 */
export function useActionGate(options: {
  entity: Entity;
  permission: ResourcePermission<'catalog-entity'>;
  /** What the user wants to do, e.g. `change these settings`. */
  action: string;
}): ActionGate {
  const { entity, permission, action } = options;
  const { loading, allowed } = usePermission({
    permission,
    resourceRef: stringifyEntityRef(entity),
  });
  if (loading) {
    return { allowed: false };
  }
  if (!allowed) {
    return {
      allowed: false,
      reason: `Only members of ${ownerName(
        entity,
      )} and platform admins can ${action}`,
    };
  }
  return { allowed: true };
}
