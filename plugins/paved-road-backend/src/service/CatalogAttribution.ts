import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
} from '@paved-road/plugin-paved-road-common';

/** Owner, business unit and cost center of an entity at this moment. */
export type Attribution = {
  owner: string | null;
  businessUnit: string | null;
  costCenter: string | null;
};

/**
 * Reads an entity's attribution from the catalog, for events whose writer
 * left it out. The processor has put the business unit and cost center on
 * every owned entity as annotations.
 */
export class CatalogAttribution {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /** What the catalog says, or all null when it does not have the entity. */
  async lookup(entityRef: string): Promise<Attribution> {
    const none = { owner: null, businessUnit: null, costCenter: null };
    let entity;
    try {
      entity = await this.catalog.getEntityByRef(entityRef, {
        credentials: await this.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      // The event is still worth keeping without attribution
      this.logger.warn(
        `Could not read ${entityRef} from the catalog to attribute an audit event: ${stringifyError(
          error,
        )}`,
      );
      return none;
    }
    if (!entity) {
      return none;
    }
    const annotations = entity.metadata.annotations ?? {};
    const owner = entity.spec?.owner;
    const namespace = entity.metadata.namespace ?? 'default';
    return {
      owner: typeof owner === 'string' ? groupRef(owner, namespace) : null,
      businessUnit: groupRef(annotations[ANNOTATION_BUSINESS_UNIT], namespace),
      costCenter: annotations[ANNOTATION_COST_CENTER] || null,
    };
  }
}

// Owners are Group refs relative to the entity's namespace
function groupRef(value: string | undefined, namespace: string): string | null {
  if (!value) {
    return null;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return null;
  }
}
