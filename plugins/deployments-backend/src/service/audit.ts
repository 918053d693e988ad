import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  AuditAction,
  AuditEventInput,
  AuditOutcome,
  DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

/**
 * Where audit events go: queued inside the transaction of the change they
 * record, delivered later (paved-road-node's AuditOutbox).
 */
export interface AuditQueue {
  enqueue(trx: Knex.Transaction, event: AuditEventInput): Promise<void>;
}

/** The entity's owner, business unit and cost center at this moment. */
export function auditContext(
  entityRef: string,
  entity: Entity | undefined,
): Pick<
  AuditEventInput,
  'entityRef' | 'owner' | 'businessUnit' | 'costCenter'
> {
  const annotations = entity?.metadata.annotations ?? {};
  let owner =
    entity?.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef ??
    null;
  const specOwner = entity?.spec?.owner;
  if (!owner && typeof specOwner === 'string') {
    try {
      owner = stringifyEntityRef(
        parseEntityRef(specOwner, {
          defaultKind: 'group',
          defaultNamespace: entity?.metadata.namespace ?? 'default',
        }),
      );
    } catch {
      owner = null;
    }
  }
  return {
    entityRef,
    owner,
    businessUnit: annotations[ANNOTATION_BUSINESS_UNIT] || null,
    costCenter: annotations[ANNOTATION_COST_CENTER] || null,
  };
}

/** Builds one event; the id makes its delivery idempotent. */
export function auditEvent(options: {
  action: AuditAction;
  outcome: AuditOutcome;
  actor: string;
  entityRef: string;
  entity: Entity | undefined;
  summary: string;
  details?: Record<string, unknown>;
}): AuditEventInput {
  return {
    id: randomUUID(),
    action: options.action,
    outcome: options.outcome,
    actor: options.actor,
    occurredAt: new Date().toISOString(),
    ...auditContext(options.entityRef, options.entity),
    summary: options.summary.slice(0, 1000),
    details: options.details ?? {},
  };
}

function flatten(
  value: unknown,
  prefix: string,
  out: Map<string, string>,
): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, prefix ? `${prefix}.${key}` : key, out);
    }
  } else {
    out.set(prefix, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}

/** `replicas 2 → 3, memoryMiB 512 → 1024`: what changed, for summaries. */
export function describeChange(
  before: DeploymentSettings | undefined,
  after: DeploymentSettings,
): string {
  const old = flatten(before ?? {}, '', new Map());
  const changes: string[] = [];
  for (const [key, value] of flatten(after, '', new Map())) {
    if (old.get(key) !== value) {
      changes.push(
        old.has(key) ? `${key} ${old.get(key)} → ${value}` : `${key} ${value}`,
      );
    }
  }
  return changes.join(', ') || 'no change';
}
