import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RELATION_PART_OF_BUSINESS_UNIT } from '@paved-road/plugin-paved-road-common';

/** @public Where the processor learns which entities roll up to a unit. */
export interface BusinessUnitPartsSource {
  /**
   * The entities whose `partOfBusinessUnit` relation points at the unit, as
   * the catalog holds them now. Throws when that cannot be read.
   */
  getParts(businessUnitRef: string): Promise<CompoundEntityRef[]>;
}

// Only what a relation target needs.
const FIELDS = ['kind', 'metadata.namespace', 'metadata.name'];

/**
 * @public
 * Reads a business unit's parts through the catalog API: the entities that
 * carry a `partOfBusinessUnit` relation to it. The catalog parses each of
 * them in full to answer, so the module reads its relations table instead
 * and uses this only when that table is not as expected (see
 * DatabaseBusinessUnitParts).
 */
export class CatalogBusinessUnitParts implements BusinessUnitPartsSource {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;

  constructor(deps: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = deps.catalog;
    this.#auth = deps.auth;
  }

  async getParts(businessUnitRef: string): Promise<CompoundEntityRef[]> {
    const { items } = await this.#catalog.getEntities(
      {
        filter: {
          [`relations.${RELATION_PART_OF_BUSINESS_UNIT}`]: businessUnitRef,
        },
        fields: FIELDS,
      },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    return items.map(entity => getCompoundEntityRef(entity));
  }
}
