import { InputError } from '@backstage/errors';
import {
  AuditEvent,
  auditEventInputSchema,
} from '@paved-road/plugin-paved-road-common';
import { isDeepStrictEqual } from 'node:util';
import { canonicalActor, canonicalRef } from './refs';

/** An event as received, refs canonical; absent fields stay undefined. */
export type ReceivedAuditEvent = Omit<
  AuditEvent,
  'occurredAt' | 'entityRef' | 'owner' | 'businessUnit' | 'costCenter'
> & {
  occurredAt?: string;
  entityRef?: string | null;
  owner?: string | null;
  businessUnit?: string | null;
  costCenter?: string | null;
};

/** Validates a `POST /audit/events` body; `InputError` names the field. */
export function parseAuditEvent(body: unknown): ReceivedAuditEvent {
  const parsed = auditEventInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const event = parsed.data;
  const ref = (
    value: string | null | undefined,
    field: string,
    kind?: string,
  ) => (value ? canonicalRef(value, field, kind) : value);
  return {
    ...event,
    actor: canonicalActor(event.actor),
    occurredAt: event.occurredAt
      ? new Date(event.occurredAt).toISOString()
      : undefined,
    entityRef: ref(event.entityRef, 'entityRef'),
    owner: ref(event.owner, 'owner', 'group'),
    businessUnit: ref(event.businessUnit, 'businessUnit', 'group'),
  };
}

/**
 * Whether a stored event is the one received again: every field the writer
 * sent must match; what the server filled in (time, attribution) is not
 * compared, since a retry cannot know it.
 */
export function isSameEvent(
  stored: AuditEvent,
  received: ReceivedAuditEvent,
): boolean {
  const sent = Object.entries(received).filter(
    ([, value]) => value !== undefined,
  ) as [keyof AuditEvent, unknown][];
  return sent.every(([key, value]) =>
    isDeepStrictEqual(stored[key] ?? null, value ?? null),
  );
}
