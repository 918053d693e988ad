import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CreateDeploymentRequest,
  Deployment,
  DeploymentDetails,
  DeploymentEnvironment,
  DeploymentEnvironmentsResponse,
  DeploymentEventsResponse,
  DeploymentListResponse,
  DeploymentRuntime,
  DeploymentSettingsVersion,
  DeploymentSettingsVersionListResponse,
  DoraMetrics,
  ProjectState,
  RollbackDeploymentRequest,
  ServiceLevelObjectivesResponse,
  UpdateDeploymentSettingsRequest,
  UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';
import type {
  DeploymentsApi,
  ProjectCreationRecord,
  SettingsCostEstimate,
} from './DeploymentsApi';

/** `:namespace/:kind/:name`, as every Paved Road API takes an entity. */
function entityPath({ namespace, kind, name }: CompoundEntityRef): string {
  return [namespace, kind, name].map(encodeURIComponent).join('/');
}

/** `?a=1&b=2` of the parameters that are set, or nothing. */
function query(params: Record<string, string | number | undefined>): string {
  const set = Object.entries(params).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return set.length === 0
    ? ''
    : `?${new URLSearchParams(set.map(([k, v]) => [k, String(v)]))}`;
}

function jsonPost(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * {@link DeploymentsApi} over HTTP, against the `deployments` backend plugin
 * (the `paved-road` one for creation records, the `costs` one for
 * estimates).
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
    const body = await this.request<DeploymentListResponse>(
      await this.entityUrl(
        entityRef,
        `/deployments${query({ limit: options?.limit })}`,
      ),
    );
    return body.items;
  }

  async getLatestSettings(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion | undefined> {
    // The backend answers 404 until the first settings version is saved.
    return this.requestOrUndefined<DeploymentSettingsVersion>(
      await this.entityUrl(entityRef, '/settings'),
    );
  }

  async getServiceLevelObjectives(
    entityRef: CompoundEntityRef,
  ): Promise<ServiceLevelObjectivesResponse> {
    return this.request<ServiceLevelObjectivesResponse>(
      await this.entityUrl(entityRef, '/slos'),
    );
  }

  async listSettingsVersions(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentSettingsVersion[]> {
    const body = await this.request<DeploymentSettingsVersionListResponse>(
      await this.entityUrl(entityRef, '/settings/versions'),
    );
    return body.items;
  }

  async updateSettings(
    entityRef: CompoundEntityRef,
    request: UpdateDeploymentSettingsRequest,
  ): Promise<UpdateDeploymentSettingsResponse> {
    return this.request<UpdateDeploymentSettingsResponse>(
      await this.entityUrl(entityRef, '/settings'),
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  async getProject(
    entityRef: CompoundEntityRef,
  ): Promise<ProjectState | undefined> {
    return this.requestOrUndefined<ProjectState>(
      await this.entityUrl(entityRef, '/project'),
    );
  }

  async deactivate(entityRef: CompoundEntityRef): Promise<void> {
    await this.send(await this.entityUrl(entityRef, '/deactivate'), 'POST');
  }

  async reactivate(entityRef: CompoundEntityRef): Promise<void> {
    await this.send(await this.entityUrl(entityRef, '/reactivate'), 'POST');
  }

  async getCreationRecord(
    entityRef: CompoundEntityRef,
  ): Promise<ProjectCreationRecord | undefined> {
    return this.requestOrUndefined<ProjectCreationRecord>(
      await this.url('paved-road', `/projects/${entityPath(entityRef)}`),
    );
  }

  async estimateMonthlyCost(
    settings: DeploymentSettings,
  ): Promise<SettingsCostEstimate | undefined> {
    const response = await this.fetchApi.fetch(
      await this.url('costs', '/estimate'),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ settings }),
      },
    );
    // No costs backend in this app: nothing to estimate with.
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const { currency, monthlyTotal } =
      (await response.json()) as SettingsCostEstimate;
    return { currency, monthlyTotal };
  }

  async createDeployment(
    entityRef: CompoundEntityRef,
    request: CreateDeploymentRequest,
  ): Promise<DeploymentDetails> {
    return this.request<DeploymentDetails>(
      await this.entityUrl(entityRef, '/deployments'),
      jsonPost(request),
    );
  }

  async rollback(
    entityRef: CompoundEntityRef,
    request: RollbackDeploymentRequest = {},
  ): Promise<DeploymentDetails> {
    return this.request<DeploymentDetails>(
      await this.entityUrl(entityRef, '/rollback'),
      jsonPost(request),
    );
  }

  async getDeployment(id: string): Promise<DeploymentDetails> {
    return this.request<DeploymentDetails>(
      await this.url('deployments', `/deployments/${encodeURIComponent(id)}`),
    );
  }

  async getDeploymentEvents(
    id: string,
    options: { after?: string; limit?: number } = {},
  ): Promise<DeploymentEventsResponse> {
    return this.request<DeploymentEventsResponse>(
      await this.url(
        'deployments',
        `/deployments/${encodeURIComponent(id)}/events${query({
          after: options.after,
          limit: options.limit,
        })}`,
      ),
    );
  }

  async cancelDeployment(id: string): Promise<DeploymentDetails> {
    return this.request<DeploymentDetails>(
      await this.url(
        'deployments',
        `/deployments/${encodeURIComponent(id)}/cancel`,
      ),
      { method: 'POST' },
    );
  }

  async getRuntime(
    entityRef: CompoundEntityRef,
    options: { environment?: string } = {},
  ): Promise<DeploymentRuntime> {
    return this.request<DeploymentRuntime>(
      await this.entityUrl(
        entityRef,
        `/runtime${query({ environment: options.environment })}`,
      ),
    );
  }

  async getDoraMetrics(
    entityRef: CompoundEntityRef,
    options: { days?: number; environment?: string } = {},
  ): Promise<DoraMetrics> {
    return this.request<DoraMetrics>(
      await this.entityUrl(
        entityRef,
        `/dora${query({
          days: options.days,
          environment: options.environment,
        })}`,
      ),
    );
  }

  async listEnvironments(
    entityRef: CompoundEntityRef,
  ): Promise<DeploymentEnvironment[]> {
    const body = await this.request<DeploymentEnvironmentsResponse>(
      await this.entityUrl(entityRef, '/environments'),
    );
    return body.items;
  }

  async teardownEnvironment(
    entityRef: CompoundEntityRef,
    environment: string,
  ): Promise<void> {
    // 200 with a body or 204 without: nothing in it is needed.
    await this.send(
      await this.entityUrl(
        entityRef,
        `/environments/${encodeURIComponent(environment)}`,
      ),
      'DELETE',
    );
  }

  /** A URL under the deployments backend's `/entities/:namespace/:kind/:name`. */
  private async entityUrl(
    entityRef: CompoundEntityRef,
    suffix: string,
  ): Promise<string> {
    return this.url(
      'deployments',
      `/entities/${entityPath(entityRef)}${suffix}`,
    );
  }

  private async url(
    pluginId: 'deployments' | 'paved-road' | 'costs',
    path: string,
  ): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl(pluginId)}${path}`;
  }

  private async request<T>(url: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  private async requestOrUndefined<T>(url: string): Promise<T | undefined> {
    const response = await this.fetchApi.fetch(url);
    if (response.status === 404) {
      return undefined;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  /** A request whose answer body is not needed. */
  private async send(url: string, method: 'POST' | 'DELETE'): Promise<void> {
    const response = await this.fetchApi.fetch(url, { method });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
  }
}
