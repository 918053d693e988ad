import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  HygieneReport,
  ProjectAuditRecord,
} from '@paved-road/plugin-paved-road-common';

/**
 * Paved Road routes served by the catalog backend module
 * (`/api/catalog/paved-road/...`).
 *
 * @public
 */
export interface PavedRoadApi {
  /** Entities with a missing or invalid owner or cost center, by business unit. */
  getHygiene(): Promise<HygieneReport>;
  /** Projects created from templates, newest first. */
  getProjectAudit(query?: {
    entityRef?: string;
    createdBy?: string;
    limit?: number;
  }): Promise<ProjectAuditRecord[]>;
}

/** @public */
export const pavedRoadApiRef = createApiRef<PavedRoadApi>().with({
  id: 'plugin.paved-road.service',
  pluginId: 'paved-road',
});
