import { InputError } from '@backstage/errors';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
} from '@paved-road/plugin-paved-road-common';
import { z } from 'zod';
import { AuditCursor, AuditEventFilter } from '../database/AuditStore';
import { canonicalActor, canonicalRef } from './refs';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const time = z
  .string()
  .refine(
    v =>
      DATE_ONLY.test(v) ||
      z.string().datetime({ offset: true }).safeParse(v).success,
    { message: 'must be an ISO 8601 date or date-time' },
  );

const querySchema = z.object({
  entityRef: z.string().max(255).optional(),
  actor: z.string().max(255).optional(),
  businessUnit: z.string().max(255).optional(),
  costCenter: z.string().min(1).max(64).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  from: time.optional(),
  to: time.optional(),
  cursor: z.string().max(512).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
    .optional(),
});

/** The filters of `GET /audit` and `GET /audit/export.csv`. */
export function parseAuditQuery(query: unknown): {
  filter: AuditEventFilter;
  after?: AuditCursor;
  limit: number;
} {
  const parsed = querySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `${issue.path.join('.') || 'query'}: ${issue.message}`,
    );
  }
  const q = parsed.data;
  const filter: AuditEventFilter = {
    entityRef: q.entityRef ? canonicalRef(q.entityRef, 'entityRef') : undefined,
    actor: q.actor ? canonicalActor(q.actor) : undefined,
    businessUnit: q.businessUnit
      ? canonicalRef(q.businessUnit, 'businessUnit', 'group')
      : undefined,
    costCenter: q.costCenter,
    action: q.action,
    outcome: q.outcome,
    // A date alone means that whole day, in UTC
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? endOf(q.to) : undefined,
  };
  if (filter.from && filter.to && filter.from >= filter.to) {
    throw new InputError('to: must be after from');
  }
  return {
    filter,
    after: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit ?? DEFAULT_PAGE_SIZE,
  };
}

function endOf(value: string): Date {
  const date = new Date(value);
  if (DATE_ONLY.test(value)) {
    date.setUTCDate(date.getUTCDate() + 1);
    return date;
  }
  // A time is inclusive: the store's bound is exclusive
  return new Date(date.getTime() + 1);
}

/** Opaque to clients: base64url of the last event's time and id. */
export function encodeCursor(cursor: AuditCursor): string {
  return Buffer.from(
    JSON.stringify([cursor.occurredAt.toISOString(), cursor.id]),
  ).toString('base64url');
}

function decodeCursor(value: string): AuditCursor {
  try {
    const [occurredAt, id] = JSON.parse(
      Buffer.from(value, 'base64url').toString('utf8'),
    );
    const date = new Date(occurredAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) {
      throw new Error('malformed');
    }
    return { occurredAt: date, id };
  } catch {
    throw new InputError('cursor: is not a cursor this API returned');
  }
}
