import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  AuditEvent,
  AuditEventPage,
} from '@paved-road/plugin-paved-road-common';
import { stringify } from 'csv-stringify';
import express from 'express';
import Router from 'express-promise-router';
import { once } from 'node:events';
import { AuditStore, NewAuditEvent } from '../database/AuditStore';
import { parseAuditQuery, encodeCursor } from './auditQuery';
import { CatalogAttribution } from './CatalogAttribution';
import { boundedJson } from './jsonBody';
import { isSameEvent, parseAuditEvent } from './parseAuditEvent';

export interface AuditRouterOptions {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  store: AuditStore;
  attribution: Pick<CatalogAttribution, 'lookup'>;
  /** Service principals allowed to write, e.g. `plugin:scaffolder`. */
  writers: string[];
  /** Most rows one CSV export returns. */
  exportRowLimit: number;
  now?: () => Date;
}

const CSV_COLUMNS: Array<keyof AuditEvent> = [
  'occurredAt',
  'action',
  'outcome',
  'actor',
  'entityRef',
  'owner',
  'businessUnit',
  'costCenter',
  'summary',
  'details',
  'id',
];
const EXPORT_PAGE_SIZE = 500;

/** `POST /audit/events`, `GET /audit`, `GET /audit/export.csv`. */
export function createAuditRouter(options: AuditRouterOptions): express.Router {
  const { httpAuth, auditor, store, attribution, exportRowLimit } = options;
  const now = options.now ?? (() => new Date());
  const writers = new Set(options.writers);
  const router = Router();

  router.post('/audit/events', ...boundedJson('64kb'), async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const writer = credentials.principal.subject;
    if (!writers.has(writer)) {
      throw new NotAllowedError('Not allowed to write audit events');
    }
    const received = parseAuditEvent(req.body);

    const needsAttribution =
      received.entityRef &&
      (received.owner === undefined ||
        received.businessUnit === undefined ||
        received.costCenter === undefined);
    const fromCatalog = needsAttribution
      ? await attribution.lookup(received.entityRef!)
      : undefined;
    const event: NewAuditEvent = {
      ...received,
      occurredAt: received.occurredAt ?? now().toISOString(),
      entityRef: received.entityRef ?? null,
      owner:
        received.owner === undefined
          ? fromCatalog?.owner ?? null
          : received.owner,
      businessUnit:
        received.businessUnit === undefined
          ? fromCatalog?.businessUnit ?? null
          : received.businessUnit,
      costCenter:
        received.costCenter === undefined
          ? fromCatalog?.costCenter ?? null
          : received.costCenter,
      writer,
    };

    const { event: stored, created } = await store.insert(event);
    if (!created) {
      if (!isSameEvent(stored, received)) {
        throw new ConflictError(
          `Audit event ${received.id} was already recorded with different content`,
        );
      }
      // A redelivery: stored and mirrored once already
      res.status(200).json(stored);
      return;
    }

    await mirrorToAuditor(auditor, req, stored, writer);
    res.status(201).json(stored);
  });

  router.get('/audit', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { filter, after, limit } = parseAuditQuery(req.query);
    const { items, next } = await store.list(filter, { limit, after });
    const page: AuditEventPage = {
      items,
      nextCursor: next ? encodeCursor(next) : null,
    };
    res.json(page);
  });

  router.get('/audit/export.csv', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { filter } = parseAuditQuery({ ...req.query, cursor: undefined });

    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader(
      'content-disposition',
      'attachment; filename="paved-road-audit.csv"',
    );
    res.setHeader('x-paved-road-row-limit', String(exportRowLimit));
    const csv = stringify({
      header: true,
      columns: CSV_COLUMNS,
      // A cell such as `=HYPERLINK(…)` stays text in a spreadsheet
      escape_formulas: true,
      cast: { object: value => JSON.stringify(value) },
    });
    csv.pipe(res);

    let after;
    let written = 0;
    try {
      do {
        const page = await store.list(filter, {
          limit: Math.min(EXPORT_PAGE_SIZE, exportRowLimit - written),
          after,
        });
        for (const item of page.items) {
          if (!csv.write(item)) {
            await once(csv, 'drain');
          }
        }
        written += page.items.length;
        after = page.next;
      } while (after && written < exportRowLimit);
      csv.end();
    } catch (error) {
      // Headers are gone: the client sees a cut-off download, not a 200
      csv.destroy(error as Error);
      res.destroy(error as Error);
    }
  });

  return router;
}

/** The same event, to Backstage's auditor service (logs, SIEM). */
async function mirrorToAuditor(
  auditor: AuditorService,
  req: express.Request,
  event: AuditEvent,
  writer: string,
) {
  const auditorEvent = await auditor.createEvent({
    eventId: event.action,
    severityLevel: 'medium',
    request: req,
    meta: {
      auditEventId: event.id,
      writer,
      actor: event.actor,
      occurredAt: event.occurredAt,
      entityRef: event.entityRef,
      owner: event.owner,
      businessUnit: event.businessUnit,
      costCenter: event.costCenter,
      summary: event.summary,
    },
  });
  if (event.outcome === 'succeeded') {
    await auditorEvent.success();
  } else {
    const error =
      event.outcome === 'denied'
        ? new NotAllowedError(event.summary)
        : new Error(event.summary);
    await auditorEvent.fail({ error, meta: { outcome: event.outcome } });
  }
}
