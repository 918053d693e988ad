import {
  ProjectAuditRecord,
  ProjectAuditRecordRequest,
} from '@paved-road/plugin-paved-road-common';

/** Persistence of the project-creation audit trail. */
export interface ProjectAuditStore {
  /**
   * Stores the record of a task once. Returns the stored record and whether
   * this call created it (false: the task was recorded before).
   */
  record(
    request: ProjectAuditRecordRequest,
    now: Date,
  ): Promise<{ record: ProjectAuditRecord; created: boolean }>;
  /** Newest first. */
  list(options: {
    entityRef?: string;
    createdBy?: string;
    limit: number;
  }): Promise<ProjectAuditRecord[]>;
}
