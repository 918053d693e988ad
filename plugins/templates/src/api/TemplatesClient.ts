import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  TemplateHealthDetails,
  TemplateHealthListResponse,
  TemplateReport,
  TemplateReportRequest,
} from '@paved-road/plugin-templates-common';
import type { TemplatesApi } from './TemplatesApi';

/**
 * {@link TemplatesApi} over HTTP, against the `templates` backend plugin.
 *
 * @public
 */
export class TemplatesClient implements TemplatesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listTemplateHealth(): Promise<TemplateHealthListResponse> {
    return this.request('/health');
  }

  async getTemplateHealth({
    namespace,
    name,
  }: Omit<CompoundEntityRef, 'kind'>): Promise<TemplateHealthDetails> {
    return this.request(
      `/health/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    );
  }

  async reportTemplateProblem(
    request: TemplateReportRequest,
  ): Promise<TemplateReport> {
    return this.request('/health/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('templates');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
