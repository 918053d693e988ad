import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  AuditEventPage,
  HygieneReport,
} from '@paved-road/plugin-paved-road-common';
import type {
  AuditEventFilters,
  PavedRoadApi,
  PavedRoadProject,
} from './PavedRoadApi';

/**
 * {@link PavedRoadApi} over HTTP, through the app's fetchApi so requests
 * carry the user's Backstage token.
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
    return (await this.fetch('/hygiene')).json();
  }

  async listAuditEvents(
    filters: AuditEventFilters,
    page: { cursor?: string; limit?: number } = {},
  ): Promise<AuditEventPage> {
    const query = toQuery({ ...filters, ...page });
    return (await this.fetch(`/audit${query}`)).json();
  }

  async exportAuditEvents(filters: AuditEventFilters): Promise<Blob> {
    return (await this.fetch(`/audit/export.csv${toQuery(filters)}`)).blob();
  }

  async getProject(entityRef: string): Promise<PavedRoadProject | undefined> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = [namespace, kind, name].map(encodeURIComponent).join('/');
    const res = await this.fetch(`/projects/${path}`, { notFound: 'ok' });
    return res.status === 404 ? undefined : res.json();
  }

  private async fetch(
    path: string,
    options: { notFound?: 'ok' } = {},
  ): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('paved-road');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok && !(res.status === 404 && options.notFound === 'ok')) {
      throw await ResponseError.fromResponse(res);
    }
    return res;
  }
}

function toQuery(
  params: AuditEventFilters & { cursor?: string; limit?: number },
) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  return search.size > 0 ? `?${search}` : '';
}
