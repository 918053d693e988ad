import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Budget,
  BudgetChange,
  BudgetHistoryResponse,
  BudgetListResponse,
  BudgetReport,
  BudgetScope,
  CostEstimate,
  CostEstimateRequest,
  EntityCostReport,
  RollupDailyResponse,
  RollupResponse,
  SetBudgetRequest,
} from '@paved-road/plugin-costs-common';
import type { CostsApi } from './CostsApi';
import type {
  IngestionStatusResponse,
  RollupDailyQuery,
  RollupQuery,
} from './types';

/** `?a=1&b=2` of the defined, non-empty values; empty when there are none. */
function search(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value) {
      query.set(key, value);
    }
  }
  return query.size > 0 ? `?${query}` : '';
}

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
    const path = [entityRef.namespace, entityRef.kind, entityRef.name]
      .map(encodeURIComponent)
      .join('/');
    return this.request(
      `/entities/${path}/costs${search({
        from: options.from,
        to: options.to,
        currency: options.currency,
      })}`,
    );
  }

  async estimate(
    request: CostEstimateRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<CostEstimate> {
    return this.request('/estimate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: options.signal,
    });
  }

  async getRollups(query: RollupQuery): Promise<RollupResponse> {
    return this.request(`/rollups${rollupSearch(query)}`);
  }

  async getRollupDaily(query: RollupDailyQuery): Promise<RollupDailyResponse> {
    return this.request(`/rollups/daily${rollupSearch(query)}`);
  }

  async listBudgets(): Promise<BudgetReport[]> {
    const body = await this.request<BudgetListResponse>('/budgets');
    return body.items;
  }

  async setBudget(
    scope: BudgetScope,
    key: string,
    request: SetBudgetRequest,
  ): Promise<Budget> {
    return this.request(`/budgets/${budgetPath(scope, key)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getBudgetHistory(
    scope: BudgetScope,
    key: string,
  ): Promise<BudgetChange[]> {
    const body = await this.request<BudgetHistoryResponse>(
      `/budgets/${budgetPath(scope, key)}/history`,
    );
    return body.items;
  }

  async getIngestions(): Promise<IngestionStatusResponse> {
    return this.request('/ingestions');
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('costs');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}

function rollupSearch(query: RollupQuery & { keys?: string[] }): string {
  return search({
    groupBy: query.groupBy,
    from: query.from,
    to: query.to,
    filter: query.filter,
    keys: query.keys?.join(','),
  });
}

function budgetPath(scope: BudgetScope, key: string): string {
  return `${encodeURIComponent(scope)}/${encodeURIComponent(key)}`;
}
