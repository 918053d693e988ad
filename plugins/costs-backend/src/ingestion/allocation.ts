import { parseEntityRef } from '@backstage/catalog-model';
import {
  entityRefFromPathParams,
  isValidCostCenter,
} from '@paved-road/plugin-paved-road-common';
import { AllocationTags } from './config';

/** Where a billing row's cost goes. */
export interface Allocation {
  /** Lowercase entity ref, or null when the row belongs to no entity. */
  entityRef: string | null;
  costCenter: string | null;
}

/** A catalog entity that claims cloud resources. */
export interface ResourceOwner {
  entityRef: string;
  costCenter: string | null;
}

/** Looks up the entity that claims a resource id; no I/O. */
export interface ResourceOwnerLookup {
  find(resourceId: string): ResourceOwner | undefined;
}

/** What allocation reads from one row. */
export interface AllocationInput {
  /** Tag keys lowercased. */
  tags: Map<string, string>;
  /** Most specific first: FOCUS 1.3 AllocatedResourceId, then ResourceId. */
  resourceIds: string[];
}

/**
 * Decides the entity and cost center of a row: the service tag first, else
 * the entity whose annotation lists the row's resource id; the cost center
 * tag first, else the matched entity's cost center. Tag values that are not
 * an entity ref or a cost center are ignored with a warning, so one
 * mistagged resource does not reject a bill.
 */
export class Allocator {
  readonly #serviceTag: string;
  readonly #costCenterTag: string;

  constructor(
    tags: AllocationTags,
    private readonly owners: ResourceOwnerLookup,
  ) {
    this.#serviceTag = tags.service.toLocaleLowerCase('en-US');
    this.#costCenterTag = tags.costCenter.toLocaleLowerCase('en-US');
  }

  allocate(
    input: AllocationInput,
    warn: (message: string) => void,
  ): Allocation {
    let entityRef = this.#serviceFromTag(input.tags, warn);
    let owner: ResourceOwner | undefined;
    if (!entityRef) {
      for (const id of input.resourceIds) {
        owner = this.owners.find(id);
        if (owner) {
          entityRef = owner.entityRef;
          break;
        }
      }
    }
    const costCenter =
      this.#costCenterFromTag(input.tags, warn) ?? owner?.costCenter ?? null;
    return { entityRef, costCenter };
  }

  #serviceFromTag(
    tags: Map<string, string>,
    warn: (message: string) => void,
  ): string | null {
    const value = tags.get(this.#serviceTag);
    if (!value) {
      return null;
    }
    const ref = toEntityRef(value);
    if (!ref) {
      warn(
        `tag ${
          this.#serviceTag
        } '${value}' is not an entity ref; allocated by resource id or not at all`,
      );
    }
    return ref ?? null;
  }

  #costCenterFromTag(
    tags: Map<string, string>,
    warn: (message: string) => void,
  ): string | null {
    const value = tags.get(this.#costCenterTag);
    if (!value) {
      return null;
    }
    if (!isValidCostCenter(value)) {
      warn(
        `tag ${
          this.#costCenterTag
        } '${value}' is not a valid cost center; the row is not allocated to one`,
      );
      return null;
    }
    return value;
  }
}

/** A bare name means a Component in the default namespace. */
export function toEntityRef(value: string): string | undefined {
  try {
    return entityRefFromPathParams(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** A lookup that knows no resources: tags only. */
export const noResourceOwners: ResourceOwnerLookup = {
  find: () => undefined,
};
