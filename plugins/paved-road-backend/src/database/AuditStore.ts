import {
  AuditAction,
  AuditEvent,
  AuditOutcome,
} from '@paved-road/plugin-paved-road-common';

/** An event ready to store: refs canonical, time and attribution filled. */
export interface NewAuditEvent extends AuditEvent {
  /** The service principal that sent it, e.g. `plugin:scaffolder`. */
  writer: string;
}

/** Filters of `GET /audit`; every one given must match. */
export interface AuditEventFilter {
  entityRef?: string;
  actor?: string;
  businessUnit?: string;
  costCenter?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Position after the last event of a page (newest first). */
export interface AuditCursor {
  occurredAt: Date;
  id: string;
}

/** Persistence of the audit trail. */
export interface AuditStore {
  /**
   * Stores the event unless one with its id exists; returns what is stored
   * under that id and whether this call created it.
   */
  insert(
    event: NewAuditEvent,
  ): Promise<{ event: AuditEvent; created: boolean }>;
  /** Events matching the filter, newest first, after the cursor. */
  list(
    filter: AuditEventFilter,
    page: { limit: number; after?: AuditCursor },
  ): Promise<{ items: AuditEvent[]; next?: AuditCursor }>;
}
