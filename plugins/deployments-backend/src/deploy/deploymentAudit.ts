import { Entity } from '@backstage/catalog-model';
import type {
  AuditAction,
  AuditEventInput,
  AuditOutcome,
} from '@paved-road/plugin-paved-road-common';
import { auditEvent } from '../service/audit';

/** What an audit event of a deployment says about it. */
export interface AuditedRun {
  id: string;
  entityRef: string;
  environment: string;
  kind: string;
  ref: string | null;
  commitSha: string | null;
  settingsVersion: number | null;
}

/**
 * An audit event about an entity. With the entity at hand its owner,
 * business unit and cost center are recorded as they are now; without it
 * (the runner, or an entity gone from the catalog) they are left out, and
 * the audit backend fills them from the catalog as it receives the event.
 */
export function entityAuditEvent(options: {
  action: AuditAction;
  outcome: AuditOutcome;
  actor: string;
  entityRef: string;
  entity?: Entity;
  summary: string;
  details?: Record<string, unknown>;
}): AuditEventInput {
  const event = auditEvent({ ...options, entity: options.entity });
  if (!options.entity) {
    delete event.owner;
    delete event.businessUnit;
    delete event.costCenter;
  }
  return event;
}

/** An audit event about a deployment, naming it and what it deploys. */
export function deploymentAuditEvent(options: {
  action: AuditAction;
  outcome: AuditOutcome;
  actor: string;
  run: AuditedRun;
  entity?: Entity;
  summary: string;
  details?: Record<string, unknown>;
}): AuditEventInput {
  const { run } = options;
  return entityAuditEvent({
    ...options,
    entityRef: run.entityRef,
    details: {
      deploymentId: run.id,
      environment: run.environment,
      kind: run.kind,
      ref: run.ref,
      commitSha: run.commitSha,
      settingsVersion: run.settingsVersion,
      ...options.details,
    },
  });
}
