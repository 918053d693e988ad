import { HttpAuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  HygieneGroup,
  HygieneReport,
  ProjectAuditRecord,
  ProjectAuditRecordRequest,
  matchesCostCenterPattern,
  projectAuditRecordRequestSchema,
} from '@paved-road/plugin-paved-road-common';
import express from 'express';
import Router from 'express-promise-router';
import { HygieneRecord, HygieneStore } from '../database/HygieneStore';
import { ProjectAuditStore } from '../database/ProjectAuditStore';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  hygieneStore: HygieneStore;
  auditStore: ProjectAuditStore;
  costCenterPattern: RegExp;
  /** Service principals (`plugin:scaffolder`) allowed to write audit records. */
  auditWriters: string[];
  now?: () => Date;
}

const DEFAULT_AUDIT_LIMIT = 100;
const MAX_AUDIT_LIMIT = 500;

/**
 * Paved Road routes on the catalog plugin's router, all under
 * `/paved-road` so nothing here (body parsing included) touches the
 * catalog's own routes.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, hygieneStore, auditStore, costCenterPattern } = options;
  const now = options.now ?? (() => new Date());
  const auditWriters = new Set(options.auditWriters);

  const routes = Router();

  routes.get('/hygiene', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    const report: HygieneReport = {
      groups: groupByBusinessUnit(await hygieneStore.list()),
    };
    res.json(report);
  });

  routes.post(
    '/audit/projects',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      if (!auditWriters.has(credentials.principal.subject)) {
        throw new NotAllowedError(
          `${credentials.principal.subject} may not write project audit records`,
        );
      }
      const request = parseAuditRequest(req.body, costCenterPattern);
      const { record, created } = await auditStore.record(request, now());
      if (!created && !sameRequest(record, request)) {
        throw new ConflictError(
          `Task ${request.taskId} was already recorded with different values`,
        );
      }
      res.status(created ? 201 : 200).json(record);
    },
  );

  routes.get('/audit/projects', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const entityRef = optionalRef(req.query.entityRef, 'entityRef');
    const createdBy = optionalRef(req.query.createdBy, 'createdBy', 'user');
    const limit = parseLimit(req.query.limit);
    const items = await auditStore.list({ entityRef, createdBy, limit });
    res.json({ items });
  });

  const router = Router();
  router.use('/paved-road', routes);
  return router;
}

/** Groups sorted by business-unit ref, the unresolved (`null`) one last. */
export function groupByBusinessUnit(records: HygieneRecord[]): HygieneGroup[] {
  const groups = new Map<string | null, HygieneGroup>();
  for (const record of records) {
    let group = groups.get(record.businessUnit);
    if (!group) {
      group = { businessUnit: record.businessUnit, items: [] };
      groups.set(record.businessUnit, group);
    }
    group.items.push({
      entityRef: record.entityRef,
      title: record.title ?? record.name,
      owner: record.owner,
      costCenter: record.costCenter,
      problems: record.problems,
      updatedAt: record.updatedAt.toISOString(),
      inCatalog: record.inCatalog,
      source: record.source,
    });
  }
  return [...groups.values()]
    .map(g => ({
      ...g,
      items: g.items.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    }))
    .sort((a, b) => {
      if (a.businessUnit === b.businessUnit) return 0;
      if (a.businessUnit === null) return 1;
      if (b.businessUnit === null) return -1;
      return a.businessUnit.localeCompare(b.businessUnit);
    });
}

function parseAuditRequest(
  body: unknown,
  costCenterPattern: RegExp,
): ProjectAuditRecordRequest {
  const parsed = projectAuditRecordRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new InputError(`${field}: ${issue.message}`);
  }
  const request = parsed.data;
  if (!matchesCostCenterPattern(request.costCenter, costCenterPattern)) {
    throw new InputError(
      `costCenter: does not match the cost center format ${costCenterPattern.source}`,
    );
  }
  // Stored in the catalog's canonical form so queries by ref match.
  return {
    ...request,
    createdBy: canonicalRef(request.createdBy),
    templateRef: canonicalRef(request.templateRef),
    entityRef: canonicalRef(request.entityRef),
    owner: canonicalRef(request.owner),
    businessUnit: request.businessUnit
      ? canonicalRef(request.businessUnit)
      : null,
  };
}

function sameRequest(
  stored: ProjectAuditRecord,
  request: ProjectAuditRecordRequest,
): boolean {
  return (Object.keys(request) as (keyof ProjectAuditRecordRequest)[]).every(
    key => (stored[key] ?? null) === (request[key] ?? null),
  );
}

function canonicalRef(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref));
}

function optionalRef(
  value: unknown,
  field: string,
  kind?: string,
): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be a single entity ref`);
  }
  try {
    const ref = parseEntityRef(value);
    if (kind && ref.kind.toLocaleLowerCase('en-US') !== kind) {
      throw new Error(`not a ${kind}`);
    }
    return stringifyEntityRef(ref);
  } catch {
    throw new InputError(
      `${field}: must be a full ${kind ?? 'entity'} ref (kind:namespace/name)`,
    );
  }
}

function parseLimit(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_AUDIT_LIMIT;
  }
  const limit = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new InputError(
      `limit: must be an integer from 1 to ${MAX_AUDIT_LIMIT}`,
    );
  }
  return limit;
}
