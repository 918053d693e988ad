import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Deployment,
  DeploymentListResponse,
  DeploymentSettingsVersion,
  DeploymentSettingsVersionListResponse,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentsApi } from './DeploymentsApi';

/**
 * {@link DeploymentsApi} over HTTP, against the `deployments` backend plugin.
 *
 * @public
 */
export class DeploymentsClient implements DeploymentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listDeployments(
    entityRef: CompoundEntityRef,
    options?: { limit?: number },
  ): Promise<Deployment[]> {
    const query =
      options?.limit === undefined
        ? ''
        : `?${new URLSearchParams({ limit: String(options.limit) })}`;
    const body = await this.get<DeploymentListResponse>(
      `${await this.entityUrl(entityRef)}/deployments${query}`,
    );
    return body.items;
  }

  async getLatestSettings(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion | undefined> {
    const response = await this.fetchApi.fetch(
      `${await this.entityUrl(entityRef)}/settings`,
    );
    // The backend answers 404 until the first settings version is saved.
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DeploymentSettingsVersion;
  }

  async listSettingsVersions(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion[]> {
    const body = await this.get<DeploymentSettingsVersionListResponse>(
      `${await this.entityUrl(entityRef)}/settings/versions`,
    );
    return body.items;
  }

  private async entityUrl(entityRef: CompoundEntityRef): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('deployments');
    const { namespace, kind, name } = entityRef;
    return `${baseUrl}/entities/${[namespace, kind, name]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private async get<T>(url: string): Promise<T> {
    const response = await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
