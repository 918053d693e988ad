import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  BatchUpgradeRequest,
  ProjectUpgradeInfo,
  TemplateFleet,
  UpgradeBatch,
  UpgradeDiff,
  UpgradeJob,
  UpgradeRequest,
} from '@paved-road/plugin-templates-common';
import type { TemplateUpgradesApi } from './TemplateUpgradesApi';

const path = (...parts: string[]) =>
  parts.map(p => encodeURIComponent(p)).join('/');

/**
 * {@link TemplateUpgradesApi} over HTTP, against the `templates` backend
 * plugin.
 *
 * @public
 */
export class TemplateUpgradesClient implements TemplateUpgradesApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getProjectUpgrade(
    entity: CompoundEntityRef,
  ): Promise<ProjectUpgradeInfo> {
    const { body } = await this.request<ProjectUpgradeInfo>(
      `/projects/${path(entity.namespace, entity.kind, entity.name)}/upgrade`,
    );
    return body;
  }

  async upgradeProject(
    entity: CompoundEntityRef,
    request: UpgradeRequest,
  ): Promise<{ job: UpgradeJob; created: boolean }> {
    const { status, body } = await this.request<{ job: UpgradeJob }>(
      `/projects/${path(entity.namespace, entity.kind, entity.name)}/upgrade`,
      'POST',
      request,
    );
    // 202 queued a new job; 200 is the one asked for before.
    return { job: body.job, created: status === 202 };
  }

  async getUpgrade(id: string): Promise<UpgradeJob> {
    const { body } = await this.request<{ job: UpgradeJob }>(
      `/upgrades/${path(id)}`,
    );
    return body.job;
  }

  async mergeUpgrade(id: string): Promise<UpgradeJob> {
    const { body } = await this.request<{ job: UpgradeJob }>(
      `/upgrades/${path(id)}/merge`,
      'POST',
    );
    return body.job;
  }

  async getUpgradeDiff(id: string): Promise<UpgradeDiff> {
    const { body } = await this.request<UpgradeDiff>(
      `/upgrades/${path(id)}/diff`,
    );
    return body;
  }

  async getTemplateFleet(
    template: Omit<CompoundEntityRef, 'kind'>,
  ): Promise<TemplateFleet> {
    const { body } = await this.request<TemplateFleet>(
      `/fleet/${path(template.namespace, template.name)}`,
    );
    return body;
  }

  async upgradeFleet(
    template: Omit<CompoundEntityRef, 'kind'>,
    request: BatchUpgradeRequest,
  ): Promise<UpgradeBatch> {
    const { body } = await this.request<{ batch: UpgradeBatch }>(
      `/fleet/${path(template.namespace, template.name)}/upgrades`,
      'POST',
      request,
    );
    return body.batch;
  }

  async getBatch(id: string): Promise<UpgradeBatch> {
    const { body } = await this.request<{ batch: UpgradeBatch }>(
      `/batches/${path(id)}`,
    );
    return body.batch;
  }

  /** A GET or POST (with a JSON body when given); throws ResponseError on failure. */
  private async request<T>(
    subPath: string,
    method: 'GET' | 'POST' = 'GET',
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const baseUrl = await this.discoveryApi.getBaseUrl('templates');
    const response = await this.fetchApi.fetch(
      `${baseUrl}${subPath}`,
      body === undefined
        ? { method }
        : {
            method,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return { status: response.status, body: (await response.json()) as T };
  }
}
