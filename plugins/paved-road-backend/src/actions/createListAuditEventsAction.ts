import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
} from '@paved-road/plugin-paved-road-common';
import { AuditStore } from '../database/AuditStore';
import {
  encodeCursor,
  MAX_PAGE_SIZE,
  parseAuditQuery,
} from '../service/auditQuery';
import { canonicalRef } from '../service/refs';

export function createListAuditEventsAction(options: {
  actionsRegistry: ActionsRegistryService;
  store: AuditStore;
}) {
  const { actionsRegistry, store } = options;
  actionsRegistry.register({
    name: 'list-audit-events',
    title: 'Search the audit trail',
    description: `Searches the Paved Road audit trail, newest first: project creations, deployment settings changes, deployments, rollbacks, deactivations, budget changes, each with who did it, when, on which entity, its cost center and whether it succeeded, failed or was denied.
Use it to answer "who changed X", "what happened to X yesterday", or to troubleshoot a failure. All filters are optional; pass \`nextCursor\` as \`cursor\` for older events.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .optional()
            .describe(
              'Only events of this entity, e.g. `component:default/orders-service`',
            ),
          actor: z
            .string()
            .optional()
            .describe('Only events by this user, e.g. `user:default/guest`'),
          businessUnit: z
            .string()
            .optional()
            .describe('A business unit Group, e.g. `group:default/payments`'),
          costCenter: z.string().optional().describe('e.g. `CC-1001`'),
          action: z.enum(AUDIT_ACTIONS).optional(),
          outcome: z.enum(AUDIT_OUTCOMES).optional(),
          from: z.string().optional().describe('ISO 8601 date or date-time'),
          to: z
            .string()
            .optional()
            .describe('ISO 8601 date (that whole day) or date-time'),
          limit: z
            .number()
            .int()
            .optional()
            .describe(
              `At most this many events, 1 to ${MAX_PAGE_SIZE} (default 50)`,
            ),
          cursor: z
            .string()
            .optional()
            .describe('`nextCursor` of the previous page'),
        }),
      output: z =>
        z.object({
          items: z.array(
            z.object({
              id: z.string(),
              action: z.string(),
              outcome: z.string(),
              actor: z.string(),
              occurredAt: z.string(),
              entityRef: z.string().nullable(),
              owner: z.string().nullable(),
              businessUnit: z.string().nullable(),
              costCenter: z.string().nullable(),
              summary: z.string(),
              details: z.record(z.unknown()),
            }),
          ),
          nextCursor: z.string().nullable().describe('Null on the last page'),
        }),
    },
    action: async ({ input }) => {
      // The REST route's own parsing: the same errors, naming the field.
      const { filter, after, limit } = parseAuditQuery({
        ...input,
        // A bare name is a component here, as in the other actions.
        entityRef:
          input.entityRef &&
          canonicalRef(input.entityRef, 'entityRef', 'component'),
        limit: input.limit === undefined ? undefined : String(input.limit),
      });
      const { items, next } = await store.list(filter, { limit, after });
      return {
        output: { items, nextCursor: next ? encodeCursor(next) : null },
      };
    },
  });
}
