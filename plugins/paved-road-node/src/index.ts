/**
 * Paved Road for backend plugins: record events in the one audit trail,
 * directly or through an outbox in the writer's own database.
 *
 * @packageDocumentation
 */

export {
  DefaultPavedRoadAuditService,
  parseAuditEvent,
  pavedRoadAuditServiceRef,
  type PavedRoadAuditService,
} from './PavedRoadAuditService';
export {
  AUDIT_OUTBOX_MIGRATIONS_TABLE,
  AuditOutbox,
  type AuditOutboxDeliveryResult,
} from './AuditOutbox';
export { isUniqueViolation } from './database';
export { gitAuthorOf, NOREPLY_DOMAIN } from './gitAuthor';
