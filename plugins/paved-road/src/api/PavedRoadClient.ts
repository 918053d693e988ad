import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  HygieneReport,
  ProjectAuditRecord,
} from '@paved-road/plugin-paved-road-common';
import type { PavedRoadApi } from './PavedRoadApi';

/**
 * {@link PavedRoadApi} over HTTP, through the app's fetchApi so requests
 * carry the user's Backstage token. The routes live on the catalog plugin.
 *
 * @public
 */
export class PavedRoadClient implements PavedRoadApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHygiene(): Promise<HygieneReport> {
    return this.get('/paved-road/hygiene');
  }

  async getProjectAudit(
    query: { entityRef?: string; createdBy?: string; limit?: number } = {},
  ): Promise<ProjectAuditRecord[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.size > 0 ? `?${params}` : '';
    const body = await this.get<{ items: ProjectAuditRecord[] }>(
      `/paved-road/audit/projects${search}`,
    );
    return body.items;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('catalog');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return res.json();
  }
}
