import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { EntityCostReport } from '@paved-road/plugin-costs-common';
import type { CostsApi } from './CostsApi';

/**
 * {@link CostsApi} over HTTP, through the app's fetchApi so requests carry
 * the user's Backstage token.
 *
 * @public
 */
export class CostsClient implements CostsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityCosts(
    entityRef: CompoundEntityRef,
    options: { from?: string; to?: string; currency?: string } = {},
  ): Promise<EntityCostReport> {
    const baseUrl = await this.discoveryApi.getBaseUrl('costs');
    const path = [entityRef.namespace, entityRef.kind, entityRef.name]
      .map(encodeURIComponent)
      .join('/');
    const query = new URLSearchParams();
    for (const key of ['from', 'to', 'currency'] as const) {
      const value = options[key];
      if (value) {
        query.set(key, value);
      }
    }
    const search = query.size > 0 ? `?${query}` : '';

    const res = await this.fetchApi.fetch(
      `${baseUrl}/entities/${path}/costs${search}`,
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.json();
  }
}
