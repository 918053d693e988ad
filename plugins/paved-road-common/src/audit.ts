import { z } from 'zod';

/**
 * @public
 * What an audit event records. Every Paved Road write names one of these;
 * the audit page and `GET /api/paved-road/audit?action=` filter on them.
 */
export const AUDIT_ACTIONS = [
  'project.created',
  'project.deactivated',
  'project.reactivated',
  'settings.changed',
  'deployment.started',
  'deployment.finished',
  'deployment.rolled-back',
  'environment.torn-down',
  'budget.changed',
  'template.registered',
  'upgrade.requested',
  'upgrade.finished',
  'upgrade.merged',
] as const;

/** @public */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * @public
 * How the attempt ended. `denied` records a write the permission policy
 * refused, so the trail shows who tried what, not only what happened.
 */
export const AUDIT_OUTCOMES = ['succeeded', 'failed', 'denied'] as const;

/** @public */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

const jsonObject = z.record(z.string(), z.unknown());

/**
 * @public
 * One audit event as a writer sends it to `POST /api/paved-road/audit/events`
 * (service principals only). `id` is chosen by the writer and makes delivery
 * idempotent: an outbox that sends the same event twice stores it once.
 * `owner`, `businessUnit` and `costCenter` are the entity's at that moment;
 * when the writer leaves them out the audit backend fills them from the
 * catalog as it receives the event.
 */
export const auditEventInputSchema = z.object({
  id: z.string().uuid(),
  action: z.enum(AUDIT_ACTIONS),
  outcome: z.enum(AUDIT_OUTCOMES),
  /** Entity ref of the user (or `plugin:<id>` service) who acted. */
  actor: z.string().min(1).max(255),
  /** ISO 8601; defaults to the time the event is received. */
  occurredAt: z.string().datetime({ offset: true }).optional(),
  entityRef: z.string().min(1).max(255).nullable().optional(),
  owner: z.string().min(1).max(255).nullable().optional(),
  businessUnit: z.string().min(1).max(255).nullable().optional(),
  costCenter: z.string().min(1).max(64).nullable().optional(),
  /** One human sentence, e.g. `replicas 2 → 3: more traffic`. */
  summary: z.string().min(1).max(1000),
  /** Action-specific facts (before/after, template answers without secrets). */
  details: jsonObject.default({}),
});

/** @public */
export type AuditEventInput = z.input<typeof auditEventInputSchema>;

/** @public A stored audit event, as `GET /api/paved-road/audit` returns it. */
export interface AuditEvent {
  id: string;
  action: AuditAction;
  outcome: AuditOutcome;
  actor: string;
  /** ISO 8601. */
  occurredAt: string;
  entityRef: string | null;
  owner: string | null;
  businessUnit: string | null;
  costCenter: string | null;
  summary: string;
  details: Record<string, unknown>;
}

/** @public Body of `GET /api/paved-road/audit`, newest first. */
export interface AuditEventPage {
  items: AuditEvent[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}
