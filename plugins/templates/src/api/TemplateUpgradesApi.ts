import type { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  BatchUpgradeRequest,
  ProjectUpgradeInfo,
  TemplateFleet,
  UpgradeBatch,
  UpgradeDiff,
  UpgradeJob,
  UpgradeRequest,
} from '@paved-road/plugin-templates-common';

/**
 * Project upgrades of the templates backend (`/api/templates`): what a
 * project could upgrade to, upgrade jobs, and a template's fleet with batch
 * upgrades.
 *
 * @public
 */
export interface TemplateUpgradesApi {
  /** Versions, changelog and answers of an upgrade of the project, and its last job. */
  getProjectUpgrade(entity: CompoundEntityRef): Promise<ProjectUpgradeInfo>;
  /**
   * Queues an upgrade to `request.toVersion` (the latest version);
   * `created` is false when the same upgrade was asked for before.
   */
  upgradeProject(
    entity: CompoundEntityRef,
    request: UpgradeRequest,
  ): Promise<{ job: UpgradeJob; created: boolean }>;
  /** One upgrade job, to follow it. */
  getUpgrade(id: string): Promise<UpgradeJob>;
  /**
   * Fast-forwards the project's default branch to a clean upgrade's merge
   * (hosts without pull requests, such as local git); the job comes back
   * with `mergedAt` and `mergedBy`. Rejected with a 409 for conflicts, a
   * default branch that moved, or a host with pull requests.
   */
  mergeUpgrade(id: string): Promise<UpgradeJob>;
  /** The patch an upgrade brings to the project (the compare view of local git). */
  getUpgradeDiff(id: string): Promise<UpgradeDiff>;
  /** Every project made from the template, with its version and last job. */
  getTemplateFleet(
    template: Omit<CompoundEntityRef, 'kind'>,
  ): Promise<TemplateFleet>;
  /** Upgrades the template's out-of-date projects (or the ones named). */
  upgradeFleet(
    template: Omit<CompoundEntityRef, 'kind'>,
    request: BatchUpgradeRequest,
  ): Promise<UpgradeBatch>;
  /** A batch with each of its jobs, to follow them. */
  getBatch(id: string): Promise<UpgradeBatch>;
}

/** @public */
export const templateUpgradesApiRef = createApiRef<TemplateUpgradesApi>({
  id: 'plugin.templates.upgrades',
});
