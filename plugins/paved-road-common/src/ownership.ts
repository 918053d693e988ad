import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_COST_CENTER,
  ANNOTATION_COST_CENTERS,
  GROUP_TYPE_BUSINESS_UNIT,
} from './annotations';
import { COST_CENTER_PATTERN, parseCostCenterList } from './costCenter';

/**
 * @public
 * Group entities keyed by their lowercase entity ref (`group:default/payments`).
 * Build one with {@link indexGroups}.
 */
export type GroupIndex = ReadonlyMap<string, Entity>;

/** @public Why an owner or cost center could not be resolved. */
export type OwnershipProblem =
  | { code: 'missing-owner'; message: string }
  | {
      code: 'unknown-owner';
      owner: string;
      /** The Group ref the organisation lacks, when the owner is one. */
      missingGroup?: string;
      message: string;
    }
  | {
      code: 'no-business-unit';
      owner: string;
      chain: string[];
      /** The `spec.parent` Group the organisation lacks, if that is why. */
      missingGroup?: string;
      message: string;
    }
  | { code: 'no-cost-centers'; businessUnit: string; message: string }
  | {
      code: 'cost-center-not-in-business-unit';
      costCenter: string;
      businessUnit: string;
      costCenters: string[];
      message: string;
    }
  | { code: 'malformed-cost-center'; message: string };

/** @public The business unit an owner rolls up to. */
export interface BusinessUnit {
  /** The owner group, as a lowercase entity ref. */
  owner: string;
  /** The business-unit group, as a lowercase entity ref. */
  businessUnit: string;
  /** Valid cost centers of the unit; the first is the default. */
  costCenters: string[];
  /** Groups walked from the owner up to the unit, owner first. */
  chain: string[];
}

/** @public Result of {@link resolveOwnership}. */
export interface OwnershipResolution {
  businessUnit?: BusinessUnit;
  /** The valid cost center to use: the requested one, else the default. */
  costCenter?: string;
  /** True when `costCenter` is the unit's default, not a requested value. */
  costCenterDefaulted: boolean;
  problems: OwnershipProblem[];
}

// Values are user input; capping the length keeps a configured pattern from
// being fed megabytes (and bounds any regex backtracking).
const MAX_COST_CENTER_LENGTH = 64;

/**
 * @public
 * Compiles the configured cost-center format. The pattern is wrapped so it
 * must match the whole value: a pattern like `CC-\d+` must not accept
 * `javascript:CC-1`. Throws on an invalid regular expression.
 */
export function compileCostCenterPattern(source?: string): RegExp {
  if (source === undefined) {
    return COST_CENTER_PATTERN;
  }
  return new RegExp(`^(?:${source})$`);
}

/** @public Whether `value` is a cost center in the given format. */
export function matchesCostCenterPattern(
  value: string,
  pattern: RegExp = COST_CENTER_PATTERN,
): boolean {
  return value.length <= MAX_COST_CENTER_LENGTH && pattern.test(value);
}

/** @public Indexes Group entities by lowercase entity ref; other kinds are skipped. */
export function indexGroups(entities: Iterable<Entity>): Map<string, Entity> {
  const index = new Map<string, Entity>();
  for (const entity of entities) {
    if (entity.kind?.toLocaleLowerCase('en-US') === 'group') {
      index.set(groupKey(entity), entity);
    }
  }
  return index;
}

/** @public Whether a Group is a business unit. */
export function isBusinessUnit(group: Entity): boolean {
  return group.spec?.type === GROUP_TYPE_BUSINESS_UNIT;
}

/**
 * @public
 * Valid cost centers of a business-unit Group plus the entries of its
 * `paved-road.io/cost-centers` annotation that do not match the format.
 */
export function readBusinessUnitCostCenters(
  group: Entity,
  pattern: RegExp = COST_CENTER_PATTERN,
): { valid: string[]; malformed: string[] } {
  const all = parseCostCenterList(
    group.metadata.annotations?.[ANNOTATION_COST_CENTERS],
  );
  return {
    valid: all.filter(c => matchesCostCenterPattern(c, pattern)),
    malformed: all.filter(c => !matchesCostCenterPattern(c, pattern)),
  };
}

/**
 * @public
 * Walks `spec.parent` from the owner group up to the first Group of type
 * `business-unit`. Stops on unknown groups and on loops in the chain.
 */
export function resolveBusinessUnit(
  owner: string | undefined,
  groups: GroupIndex,
  options: { defaultNamespace?: string; costCenterPattern?: RegExp } = {},
):
  | { ok: true; value: BusinessUnit }
  | { ok: false; problem: OwnershipProblem } {
  if (!owner || !owner.trim()) {
    return fail({ code: 'missing-owner', message: 'No owner is set' });
  }
  const ownerKey = toGroupKey(owner, options.defaultNamespace);
  if (!ownerKey.ok) {
    return fail({
      code: 'unknown-owner',
      owner,
      message: `Owner ${quote(owner)} ${ownerKey.reason}`,
    });
  }

  const chain: string[] = [];
  let key = ownerKey.key;
  for (;;) {
    const group = groups.get(key);
    if (!group) {
      if (chain.length === 0) {
        return fail({
          code: 'unknown-owner',
          owner: key,
          missingGroup: key,
          message: `Owner ${key} is not a Group in the catalog`,
        });
      }
      return noUnit(
        ownerKey.key,
        chain,
        `spec.parent ${key} is not a Group`,
        key,
      );
    }
    if (chain.includes(key)) {
      return noUnit(ownerKey.key, chain, `spec.parent loops back to ${key}`);
    }
    chain.push(key);
    if (isBusinessUnit(group)) {
      const { valid } = readBusinessUnitCostCenters(
        group,
        options.costCenterPattern,
      );
      return {
        ok: true,
        value: {
          owner: ownerKey.key,
          businessUnit: key,
          costCenters: valid,
          chain,
        },
      };
    }
    const parent = group.spec?.parent;
    if (typeof parent !== 'string' || !parent) {
      return noUnit(ownerKey.key, chain, `${key} has no spec.parent`);
    }
    const next = toGroupKey(parent, group.metadata.namespace);
    if (!next.ok) {
      return noUnit(
        ownerKey.key,
        chain,
        `spec.parent of ${key} ${next.reason}`,
      );
    }
    key = next.key;
  }
}

/**
 * @public
 * Resolves an owner to its business unit and validates (or defaults) the
 * cost center. Problems are collected rather than thrown so a caller can
 * report all of them and still use what did resolve.
 */
export function resolveOwnership(options: {
  owner: string | undefined;
  costCenter?: string;
  groups: GroupIndex;
  defaultNamespace?: string;
  costCenterPattern?: RegExp;
}): OwnershipResolution {
  const pattern = options.costCenterPattern ?? COST_CENTER_PATTERN;
  const problems: OwnershipProblem[] = [];
  const requested = options.costCenter;

  const wellFormed =
    requested === undefined || matchesCostCenterPattern(requested, pattern);
  if (!wellFormed) {
    problems.push({
      code: 'malformed-cost-center',
      message: `Cost center ${quote(requested)} does not match the format ${
        pattern.source
      }`,
    });
  }

  const unit = resolveBusinessUnit(options.owner, options.groups, {
    defaultNamespace: options.defaultNamespace,
    costCenterPattern: pattern,
  });
  if (!unit.ok) {
    problems.push(unit.problem);
    return { costCenterDefaulted: false, problems };
  }

  const { businessUnit, costCenters } = unit.value;
  const result: OwnershipResolution = {
    businessUnit: unit.value,
    costCenterDefaulted: false,
    problems,
  };
  if (requested === undefined) {
    if (costCenters.length === 0) {
      problems.push({
        code: 'no-cost-centers',
        businessUnit,
        message: `Business unit ${businessUnit} lists no valid cost center in its ${ANNOTATION_COST_CENTERS} annotation`,
      });
    } else {
      result.costCenter = costCenters[0];
      result.costCenterDefaulted = true;
    }
  } else if (wellFormed) {
    if (costCenters.includes(requested)) {
      result.costCenter = requested;
    } else {
      problems.push({
        code: 'cost-center-not-in-business-unit',
        costCenter: requested,
        businessUnit,
        costCenters,
        message: `Cost center ${requested} does not belong to business unit ${businessUnit} (valid: ${
          costCenters.join(', ') || 'none'
        })`,
      });
    }
  }
  return result;
}

/** @public The cost center an entity's author wrote, if any. */
export function authoredCostCenter(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[ANNOTATION_COST_CENTER];
}

function groupKey(entity: Entity): string {
  const namespace = entity.metadata.namespace ?? 'default';
  return `group:${namespace}/${entity.metadata.name}`.toLocaleLowerCase(
    'en-US',
  );
}

function toGroupKey(
  ref: string,
  defaultNamespace = 'default',
): { ok: true; key: string } | { ok: false; reason: string } {
  let parsed;
  try {
    parsed = parseEntityRef(ref, { defaultKind: 'group', defaultNamespace });
  } catch {
    return { ok: false, reason: 'is not a valid entity ref' };
  }
  if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
    return {
      ok: false,
      reason: 'is not a Group; business units are resolved through groups',
    };
  }
  return {
    ok: true,
    key: `group:${parsed.namespace}/${parsed.name}`.toLocaleLowerCase('en-US'),
  };
}

function noUnit(
  owner: string,
  chain: string[],
  why: string,
  missingGroup?: string,
) {
  return fail({
    code: 'no-business-unit',
    owner,
    chain: [...chain],
    missingGroup,
    message: `Owner ${owner} has no business unit above it: ${why} (a Group of spec.type ${GROUP_TYPE_BUSINESS_UNIT} is required in the spec.parent chain)`,
  });
}

function fail(problem: OwnershipProblem): {
  ok: false;
  problem: OwnershipProblem;
} {
  return { ok: false, problem };
}

// Quotes user input for messages: JSON escaping keeps control characters and
// markup inert, the cap keeps messages short.
function quote(value: string | undefined): string {
  const text = String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
