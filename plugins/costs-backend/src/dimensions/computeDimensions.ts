import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_COST_CENTER,
  indexGroups,
  isBusinessUnit,
  isValidCostCenter,
  readBusinessUnitCostCenters,
  resolveBusinessUnit,
  resolveOwnership,
} from '@paved-road/plugin-paved-road-common';

/** Where one catalog entity sits in the organisation. */
export interface EntityDimension {
  entityRef: string;
  kind: string;
  title: string;
  /** The owning team (Group ref); null for groups and unowned entities. */
  ownerRef: string | null;
  businessUnitRef: string | null;
  costCenter: string | null;
}

/** The business unit that lists a cost center. */
export interface CostCenterDimension {
  costCenter: string;
  businessUnitRef: string;
}

export interface Dimensions {
  entities: EntityDimension[];
  costCenters: CostCenterDimension[];
}

/** Kinds whose cost is reported: what billing tags can name, and groups. */
export const DIMENSION_KINDS = ['component', 'resource', 'system', 'group'];

/**
 * The organisation as roll-ups need it, from catalog entities: each
 * service's team (its owner), business unit (up the owner's `spec.parent`
 * chain) and cost center (its annotation, else its unit's default), and
 * each cost center's business unit. Unresolvable parts stay null rather
 * than dropping the entity, so its cost still shows under its service.
 */
export function computeDimensions(entities: Entity[]): Dimensions {
  const groups = indexGroups(entities);
  const costCenters = new Map<string, string>();
  for (const [ref, group] of groups) {
    if (!isBusinessUnit(group)) {
      continue;
    }
    for (const costCenter of readBusinessUnitCostCenters(group).valid) {
      // Two units listing one cost center is a catalog error: first one wins
      if (!costCenters.has(costCenter)) {
        costCenters.set(costCenter, ref);
      }
    }
  }

  const rows = entities.map((entity): EntityDimension => {
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const title = titleOf(entity);
    const namespace = entity.metadata.namespace ?? 'default';

    if (kind === 'group') {
      const unit = resolveBusinessUnit(entityRef, groups);
      return {
        entityRef,
        kind,
        title,
        ownerRef: null,
        businessUnitRef: unit.ok ? unit.value.businessUnit : null,
        costCenter: null,
      };
    }

    const owner =
      typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined;
    const annotated = entity.metadata.annotations?.[ANNOTATION_COST_CENTER];
    const resolved = resolveOwnership({
      owner,
      costCenter: annotated,
      groups,
      defaultNamespace: namespace,
    });
    const costCenter =
      annotated && isValidCostCenter(annotated)
        ? annotated
        : resolved.costCenter ?? null;
    return {
      entityRef,
      kind,
      title,
      ownerRef: resolved.businessUnit?.owner ?? ownerRef(owner, namespace),
      // A cost center listed by a unit places the entity there even when
      // its owner chain is broken
      businessUnitRef:
        resolved.businessUnit?.businessUnit ??
        (costCenter ? costCenters.get(costCenter) ?? null : null),
      costCenter,
    };
  });

  return {
    entities: rows,
    costCenters: [...costCenters].map(([costCenter, businessUnitRef]) => ({
      costCenter,
      businessUnitRef,
    })),
  };
}

function titleOf(entity: Entity): string {
  const profile = entity.spec?.profile as { displayName?: unknown } | undefined;
  if (entity.metadata.title) {
    return entity.metadata.title;
  }
  if (typeof profile?.displayName === 'string' && profile.displayName) {
    return profile.displayName;
  }
  return entity.metadata.name;
}

function ownerRef(owner: string | undefined, namespace: string) {
  if (!owner) {
    return null;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return null;
  }
}
