import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  CatalogUnprocessedEntitiesApiResponse,
  UnprocessedEntity,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import { getFromPlugin } from './getFromPlugin';

// The catalog answers from its own database; a page load should not wait long
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Entities the catalog holds but does not serve, from
 * `@backstage/plugin-catalog-backend-module-unprocessed`, read as this
 * plugin (service credentials pass the module's permission check).
 */
export class UnprocessedEntitiesClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /**
   * Entities that have never processed cleanly, with their processing
   * errors. The module lists them as `pending` (no stored entity yet);
   * `failed` covers catalogs that keep an empty stored row for them.
   * Throws `NotFoundError` when the catalog lacks the module.
   */
  async listNeverStored(): Promise<UnprocessedEntity[]> {
    const [pending, failed] = await Promise.all([
      this.#get('pending'),
      this.#get('failed'),
    ]);
    const byId = new Map<string, UnprocessedEntity>();
    for (const entity of [...pending, ...failed]) {
      byId.set(entity.entity_id, entity);
    }
    return [...byId.values()];
  }

  async #get(reason: 'pending' | 'failed'): Promise<UnprocessedEntity[]> {
    const response = await getFromPlugin(this.services(), {
      pluginId: 'catalog',
      path: `/entities/unprocessed/${reason}`,
      timeoutMs: REQUEST_TIMEOUT_MS,
      notFound:
        'The catalog does not serve unprocessed entities (install @backstage/plugin-catalog-backend-module-unprocessed)',
    });
    const body =
      (await response.json()) as CatalogUnprocessedEntitiesApiResponse;
    return body.entities ?? [];
  }

  private services() {
    return { discovery: this.discovery, auth: this.auth };
  }
}
