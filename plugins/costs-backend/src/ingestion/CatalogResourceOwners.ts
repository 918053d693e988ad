import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_COST_CENTER,
  isValidCostCenter,
} from '@paved-road/plugin-paved-road-common';
import { ResourceOwner, ResourceOwnerLookup } from './allocation';

/**
 * Annotation listing the cloud resource ids (as billing exports write them
 * in `ResourceId`, e.g. an ARN) an entity is charged for, comma separated.
 *
 * @public
 */
export const ANNOTATION_CLOUD_RESOURCE_IDS = 'paved-road.io/cloud-resource-ids';

/**
 * Resource id → entity, read from the catalog in one query per refresh so
 * allocating a row never calls the catalog. Ids compare case-insensitively:
 * Azure ids are, and exports differ in how they case them.
 */
export class CatalogResourceOwners implements ResourceOwnerLookup {
  #owners = new Map<string, ResourceOwner>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  /** Reloads the map; on failure the previous map stays and is logged. */
  async refresh(): Promise<void> {
    const { catalog, auth, logger } = this.deps;
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_CLOUD_RESOURCE_IDS}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const entities = items
      .map(entity => ({
        entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
        annotations: entity.metadata.annotations ?? {},
      }))
      .sort((a, b) => (a.entityRef < b.entityRef ? -1 : 1));
    const owners = new Map<string, ResourceOwner>();
    for (const { entityRef, annotations } of entities) {
      const costCenter = annotations[ANNOTATION_COST_CENTER];
      const owner: ResourceOwner = {
        entityRef,
        costCenter:
          costCenter && isValidCostCenter(costCenter) ? costCenter : null,
      };
      for (const id of splitIds(annotations[ANNOTATION_CLOUD_RESOURCE_IDS])) {
        const previous = owners.get(id);
        // Two entities claiming one resource: the first by ref wins, logged
        if (previous && previous.entityRef !== entityRef) {
          logger.warn(
            `Cloud resource ${id} is claimed by ${previous.entityRef} and ${entityRef}; its cost goes to ${previous.entityRef}`,
          );
          continue;
        }
        owners.set(id, owner);
      }
    }
    this.#owners = owners;
  }

  find(resourceId: string): ResourceOwner | undefined {
    return this.#owners.get(resourceId.toLocaleLowerCase('en-US'));
  }

  get size(): number {
    return this.#owners.size;
  }
}

function splitIds(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(id => id.trim().toLocaleLowerCase('en-US'))
    .filter(id => id.length > 0);
}
