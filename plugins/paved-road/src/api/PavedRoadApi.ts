import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AuditAction,
  AuditEventPage,
  AuditOutcome,
  HygieneReport,
  ProjectRecord,
} from '@paved-road/plugin-paved-road-common';

/**
 * Filters of `GET /api/paved-road/audit`; unset or empty ones are left out.
 *
 * @public
 */
export interface AuditEventFilters {
  entityRef?: string;
  /** Entity ref of the user, e.g. `user:default/guest`. */
  actor?: string;
  /** Group ref of the business unit. */
  businessUnit?: string;
  costCenter?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** ISO 8601 time: events at or after it. */
  from?: string;
  /** ISO 8601 time: events up to it. */
  to?: string;
}

/**
 * A project created from a template, as `GET /api/paved-road/projects/…`
 * returns it.
 *
 * @public
 */
export type PavedRoadProject = ProjectRecord;

/**
 * The Paved Road backend (`/api/paved-road`): hygiene, audit trail and the
 * projects created from templates.
 *
 * @public
 */
export interface PavedRoadApi {
  /**
   * Entities with a missing or invalid owner or cost center, or an invalid
   * deployment descriptor, by business unit.
   */
  getHygiene(): Promise<HygieneReport>;
  /** One page of audit events, newest first. */
  listAuditEvents(
    filters: AuditEventFilters,
    page?: { cursor?: string; limit?: number },
  ): Promise<AuditEventPage>;
  /**
   * Every audit event matching the filters as CSV, fetched with the user's
   * credentials (a plain link would be sent without them).
   */
  exportAuditEvents(filters: AuditEventFilters): Promise<Blob>;
  /** The project behind an entity; undefined when no template created it. */
  getProject(entityRef: string): Promise<PavedRoadProject | undefined>;
}

/** @public */
export const pavedRoadApiRef = createApiRef<PavedRoadApi>().with({
  id: 'plugin.paved-road.service',
  pluginId: 'paved-road',
});
