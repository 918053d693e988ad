import { Config } from '@backstage/config';
import {
  CompoundEntityRef,
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  ANNOTATION_COST_CENTERS,
  HygieneProblem,
  ANNOTATION_OWNERSHIP_PROBLEMS,
  OwnershipProblem,
  OwnershipResolution,
  RELATION_HAS_BUSINESS_UNIT_PART,
  RELATION_PART_OF_BUSINESS_UNIT,
  compileCostCenterPattern,
  isBusinessUnit,
  readBusinessUnitCostCenters,
  resolveOwnership,
} from '@paved-road/plugin-paved-road-common';
import { OrgSnapshot, OrgSnapshotSource } from './OrgSnapshotCache';
import { ResolutionCache } from './ResolutionCache';
import type { BusinessUnitPartsSource } from './BusinessUnitParts';
import type { PendingEntitiesSource } from './PendingEntities';
import {
  OwnershipEnforcement,
  OwnershipScope,
  readOwnershipPolicy,
} from './ownershipPolicy';

const OWNED_KINDS = new Set(['component', 'resource', 'system', 'api']);
const ANNOTATION_PREFIX = 'paved-road.io/';

// Problems that a newer organisation snapshot can make go away.
const MAYBE_NOT_LOADED_YET = new Set([
  'missing-owner',
  'unknown-owner',
  'no-business-unit',
]);
// At most one extra organisation load per this interval, however many
// entities miss.
const MISS_REFRESH_MAX_AGE_MS = 2000;
// Resolutions are cached per organisation snapshot (a new snapshot starts an
// empty cache); the cap bounds memory when owners or cost centers are junk.
const MAX_CACHED_RESOLUTIONS = 10_000;

// Everything per-entity processing derives from a resolution, computed once
// per cache entry: what is left per entity is lookups.
type Resolved = {
  resolution: OwnershipResolution;
  /** The problems worded for the owner field they came from. */
  problems: HygieneProblem[];
  /** Whether a newer organisation snapshot could change the verdict. */
  maybeNotLoadedYet: boolean;
  /**
   * The Group or System whose absence from the snapshot is the problem (so
   * set only with `maybeNotLoadedYet`).
   */
  awaiting?: string;
  /** The business unit, parsed for the relation. */
  unitRef?: CompoundEntityRef;
};

/**
 * @public
 * Resolves the owner of Components, Resources, Systems and APIs through the
 * Group `spec.parent` chain to a business unit, attaches
 * `paved-road.io/business-unit` and (when the author set none)
 * `paved-road.io/cost-center`, relates the entity to its business unit and
 * reports anything that does not resolve as `pavedRoad.ownership` says: an
 * input error (`error`, the default), a `paved-road.io/ownership-problems`
 * annotation on the stored entity (`warn`) or not at all (`off`), for all
 * owned entities or only those with a `paved-road.io/` annotation (`scope`).
 *
 * The reverse relation (`hasBusinessUnitPart`, on the business-unit Group) is
 * emitted when the Group itself is processed, from a catalog query for its
 * parts, not by every part: a relation emitted by a part whose source is the
 * Group makes the catalog re-stitch the whole Group (all its relations and
 * search rows, so in proportion to its number of parts) each time any part
 * changes.
 *
 * All of it happens in `preProcessEntity`, the only stage implemented: the
 * engine wraps every stage a processor implements in a tracing span and
 * per-processor output and cache wrappers, for every entity on every cycle:
 * about as much CPU as this processor's own lookups.
 */
export class PavedRoadOwnershipProcessor implements CatalogProcessor {
  readonly #org: OrgSnapshotSource;
  readonly #pattern: RegExp;
  readonly #parts?: BusinessUnitPartsSource;
  readonly #pending?: PendingEntitiesSource;
  readonly #enforcement: OwnershipEnforcement;
  readonly #scope: OwnershipScope;
  readonly #resolutions = new WeakMap<OrgSnapshot, ResolutionCache<Resolved>>();

  /**
   * @param deps.org - where the organisation is read from
   * @param deps.parts - lists a business unit's parts for the reverse
   *   relation on the Group; without it the Group gets none
   * @param deps.pending - tells whether a Group or System the organisation
   *   lacks is registered and about to be stored; without it, such an owner
   *   is reported as unknown
   */
  static fromConfig(
    config: Config,
    deps: {
      org: OrgSnapshotSource;
      parts?: BusinessUnitPartsSource;
      pending?: PendingEntitiesSource;
    },
  ) {
    const source = config.getOptionalString('pavedRoad.costCenterPattern');
    let pattern: RegExp;
    try {
      pattern = compileCostCenterPattern(source);
    } catch (error) {
      throw new InputError(
        'pavedRoad.costCenterPattern is not a valid regular expression',
        error,
      );
    }
    return new PavedRoadOwnershipProcessor(deps.org, pattern, {
      ...deps,
      ...readOwnershipPolicy(config),
    });
  }

  private constructor(
    org: OrgSnapshotSource,
    pattern: RegExp,
    deps: {
      parts?: BusinessUnitPartsSource;
      pending?: PendingEntitiesSource;
      enforcement: OwnershipEnforcement;
      scope: OwnershipScope;
    },
  ) {
    this.#org = org;
    this.#pattern = pattern;
    this.#parts = deps.parts;
    this.#pending = deps.pending;
    this.#enforcement = deps.enforcement;
    this.#scope = deps.scope;
  }

  /** The configured cost-center format, for routes that validate one. */
  get costCenterPattern(): RegExp {
    return this.#pattern;
  }

  getProcessorName(): string {
    return 'PavedRoadOwnershipProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const isUnit = isBusinessUnit(entity) && isKind(entity, 'group');
    if (!isUnit && !OWNED_KINDS.has(kindOf(entity))) {
      return entity;
    }
    // A business-unit Group is Paved Road's own model, so always in scope.
    if (this.#scope === 'paved-road' && !isUnit && !hasOwnAnnotation(entity)) {
      return entity;
    }
    if (isUnit) {
      await this.#emitParts(entity, emit);
      return this.#report(
        entity,
        this.#checkBusinessUnit(entity),
        location,
        emit,
      );
    }

    const authored = authoredCostCenter(entity);
    let resolved = this.#resolve(
      entity,
      authored,
      await this.#org.getSnapshot(),
    );
    if (resolved.maybeNotLoadedYet) {
      // The owner may have been registered after the last refresh (a new
      // team, or the first start): reload once, rate-limited, before judging.
      resolved = this.#resolve(
        entity,
        authored,
        await this.#org.getSnapshot({ maxAgeMs: MISS_REFRESH_MAX_AGE_MS }),
      );
    }
    if (
      resolved.awaiting &&
      this.#pending &&
      (await this.#pending.isPending(resolved.awaiting))
    ) {
      // Registered with its owner (e.g. a new team's catalog file) and
      // processed first: stored as it is now, and resolved on its next
      // processing, rather than rejected for an owner that is about to
      // exist. What does not depend on the organisation still counts.
      return this.#report(
        entity,
        resolved.problems
          .filter(p => !MAYBE_NOT_LOADED_YET.has(p.code))
          .map(p => p.message),
        location,
        emit,
      );
    }
    const { resolution, problems, unitRef } = resolved;

    if (unitRef) {
      // Only the forward relation: the Group's side comes from #emitParts.
      emit(
        processingResult.relation({
          source: getCompoundEntityRef(entity),
          type: RELATION_PART_OF_BUSINESS_UNIT,
          target: unitRef,
        }),
      );
    }
    // The business unit is derived from the organisation, so a stale value
    // (e.g. written by the scaffolder before a team moved) is replaced.
    const unit = resolution.businessUnit?.businessUnit;
    // The cost center is the author's choice: only fill it in when absent.
    const costCenter =
      authored === undefined ? resolution.costCenter : undefined;
    const current = entity.metadata.annotations;
    let enriched = entity;
    // What the templates write already says it all: no copy per entity.
    if ((unit && current?.[ANNOTATION_BUSINESS_UNIT] !== unit) || costCenter) {
      const annotations = { ...current };
      if (unit) {
        annotations[ANNOTATION_BUSINESS_UNIT] = unit;
      }
      if (costCenter) {
        annotations[ANNOTATION_COST_CENTER] = costCenter;
      }
      enriched = { ...entity, metadata: { ...entity.metadata, annotations } };
    }
    return this.#report(
      enriched,
      problems.map(p => p.message),
      location,
      emit,
    );
  }

  // Reports the problems as the configured enforcement says. The messages
  // are worded so that paved-road-backend reads each back as its hygiene
  // problem (classifyHygieneMessage), from the catalog's processing errors
  // (`error`) or from ANNOTATION_OWNERSHIP_PROBLEMS (`warn`): the catalog's
  // entity policies reject a `status` a processor adds, and any processing
  // error stops the entity from updating.
  #report(
    entity: Entity,
    messages: string[],
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Entity {
    const warn = this.#enforcement === 'warn' && messages.length > 0;
    if (this.#enforcement === 'error') {
      // The catalog keeps the entity's last good version plus the errors
      for (const message of messages) {
        emit(processingResult.inputError(location, message));
      }
    }
    const current = entity.metadata.annotations;
    if (!warn && current?.[ANNOTATION_OWNERSHIP_PROBLEMS] === undefined) {
      return entity;
    }
    // The module's own annotation: a value the author wrote is dropped
    const { [ANNOTATION_OWNERSHIP_PROBLEMS]: _authored, ...annotations } =
      current ?? {};
    if (warn) {
      annotations[ANNOTATION_OWNERSHIP_PROBLEMS] = JSON.stringify(messages);
    }
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  }

  // The reverse of every part's partOfBusinessUnit relation, originating from
  // the Group: the Group is re-stitched only when its own processing finds a
  // different set of parts (at most once per processing cycle), and a part
  // appears on the Group's side within one cycle of the Group.
  async #emitParts(group: Entity, emit: CatalogProcessorEmit) {
    if (!this.#parts) {
      return;
    }
    const self = getCompoundEntityRef(group);
    const ref = stringifyEntityRef(group);
    let parts;
    try {
      parts = await this.#parts.getParts(ref);
    } catch (error) {
      // Thrown, so the catalog keeps the Group's last good relations and
      // retries on its next cycle, rather than dropping every part.
      throw new ServiceUnavailableError(
        `Paved Road could not list the parts of business unit ${ref} from the catalog`,
        error,
      );
    }
    for (const part of parts) {
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_HAS_BUSINESS_UNIT_PART,
          target: part,
        }),
      );
    }
  }

  // Pure in (owner field, namespace, owner, authored cost center) for a
  // given snapshot, and every owned entity is resolved on every processing
  // cycle: cached.
  #resolve(
    entity: Entity,
    costCenter: string | undefined,
    org: OrgSnapshot,
  ): Resolved {
    const owner = ownerOf(entity, org);
    let cache = this.#resolutions.get(org);
    if (!cache) {
      cache = new ResolutionCache(MAX_CACHED_RESOLUTIONS);
      this.#resolutions.set(org, cache);
    }
    const cached = cache.get(
      owner.field,
      owner.namespace,
      owner.ref,
      costCenter,
    );
    if (cached) {
      return cached;
    }
    const resolution = resolveOwnership({
      owner: owner.ref,
      costCenter,
      groups: org.groups,
      defaultNamespace: owner.namespace,
      costCenterPattern: this.#pattern,
    });
    const unit = resolution.businessUnit?.businessUnit;
    const resolved: Resolved = {
      resolution,
      // Shared by every entity with this resolution: read-only from here on.
      problems: resolution.problems.map(problem => ({
        code: problem.code,
        message: describe(problem, owner.field),
      })),
      maybeNotLoadedYet: resolution.problems.some(p =>
        MAYBE_NOT_LOADED_YET.has(p.code),
      ),
      awaiting: owner.awaiting ?? missingGroupOf(resolution.problems),
      unitRef: unit ? parseEntityRef(unit) : undefined,
    };
    cache.set(owner.field, owner.namespace, owner.ref, costCenter, resolved);
    return resolved;
  }

  // A business unit's own list feeds every default below it, so bad entries
  // are reported on the Group itself. Returns the error messages.
  #checkBusinessUnit(group: Entity): string[] {
    const { valid, malformed } = readBusinessUnitCostCenters(
      group,
      this.#pattern,
    );
    const field = `metadata.annotations.${ANNOTATION_COST_CENTERS}`;
    if (malformed.length > 0) {
      return [
        `${field}: ${
          malformed.length
        } value(s) do not match the cost center format ${this.#pattern.source}`,
      ];
    } else if (valid.length === 0) {
      return [`${field}: a business unit needs at least one cost center`];
    }
    return [];
  }
}

// Same result as toLocaleLowerCase('en-US') (English has no special casing),
// without the locale lookup on this per-entity path.
function kindOf(entity: Entity): string {
  return (entity.kind ?? '').toLowerCase();
}

function isKind(entity: Entity, kind: string): boolean {
  return kindOf(entity) === kind;
}

// Scope `paved-road`: the entity carries at least one paved-road.io/
// annotation (as everything the Paved Road templates create does).
function hasOwnAnnotation(entity: Entity): boolean {
  const annotations = entity.metadata.annotations;
  if (!annotations) {
    return false;
  }
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(ANNOTATION_PREFIX)) {
      return true;
    }
  }
  return false;
}

// The cost center the author wrote. A blank value (e.g. an empty template
// parameter) counts as not written.
function authoredCostCenter(entity: Entity): string | undefined {
  const value = entity.metadata.annotations?.[ANNOTATION_COST_CENTER];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The owner to resolve: `spec.owner`, else the owner of `spec.system` (for
 * entities other than Systems), with the field it came from for messages.
 */
function ownerOf(
  entity: Entity,
  org: OrgSnapshot,
): { ref?: string; namespace: string; field: string; awaiting?: string } {
  const namespace = entity.metadata.namespace ?? 'default';
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner.trim()) {
    return { ref: owner, namespace, field: 'spec.owner' };
  }
  const system = entity.spec?.system;
  if (isKind(entity, 'system') || typeof system !== 'string' || !system) {
    return { namespace, field: 'spec.owner' };
  }
  let systemRef: string;
  try {
    systemRef = stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: namespace,
      }),
    );
  } catch {
    return {
      namespace,
      field: 'spec.owner (and spec.system is not a valid ref)',
    };
  }
  const systemEntity = org.systems.get(systemRef);
  if (!systemEntity) {
    return {
      namespace,
      field: `spec.owner (and spec.system ${systemRef} is not in the catalog)`,
      awaiting: systemRef,
    };
  }
  const systemOwner = systemEntity.spec?.owner;
  if (typeof systemOwner !== 'string' || !systemOwner) {
    return {
      namespace,
      field: `spec.owner (and spec.system ${systemRef} has no known owner)`,
    };
  }
  return {
    ref: systemOwner,
    namespace: systemEntity.metadata.namespace ?? 'default',
    field: `spec.system ${systemRef} owner`,
  };
}

function missingGroupOf(problems: OwnershipProblem[]): string | undefined {
  for (const problem of problems) {
    if (
      (problem.code === 'unknown-owner' ||
        problem.code === 'no-business-unit') &&
      problem.missingGroup
    ) {
      return problem.missingGroup;
    }
  }
  return undefined;
}

function describe(problem: OwnershipProblem, ownerField: string): string {
  const costCenterField = `metadata.annotations.${ANNOTATION_COST_CENTER}`;
  switch (problem.code) {
    case 'missing-owner':
      return `${ownerField}: no owner is set; Paved Road needs an owning Group to find the business unit and cost center`;
    case 'unknown-owner':
    case 'no-business-unit':
      return `${ownerField}: ${problem.message}`;
    case 'no-cost-centers':
      return `${costCenterField}: not set, and no default is available. ${problem.message}`;
    default:
      return `${costCenterField}: ${problem.message}`;
  }
}
