import { randomUUID } from 'node:crypto';
import type {
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_DECLARED_TEMPLATE_VERSION,
  ANNOTATION_TEMPLATE_VERSION,
  entityRefFromPathParams,
} from '@paved-road/plugin-paved-road-common';
import {
  type TemplateCheck,
  templateCheckRequestSchema,
  templateHealthCheckCreatePermission,
  type TemplateReport,
  templateReportRequestSchema,
  UNVERSIONED,
} from '@paved-road/plugin-templates-common';
import express from 'express';
import Router from 'express-promise-router';
import type { z } from 'zod';
import { ANNOTATION_SOURCE_TEMPLATE } from '../projects';
import type { DatabaseTemplateHealthStore } from './DatabaseTemplateHealthStore';
import type { TemplateHealthService } from './TemplateHealthService';

/** A report is a few kilobytes at most. */
const BODY_LIMIT = '32kb';

/** What {@link createHealthRouter} needs. */
export type HealthRouterDeps = {
  store: DatabaseTemplateHealthStore;
  service: TemplateHealthService;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  now?: () => Date;
};

/** Parses a body or throws InputError naming the first bad field. */
function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new InputError(`${field}: ${issue.message}`);
  }
  return parsed.data;
}

/** A template ref in the catalog's lowercase form, or InputError naming `field`. */
function parseRef(value: string, field: string, kind: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: kind,
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `${field}: must be an entity ref such as ${kind}:default/name`,
    );
  }
  if (kind === 'template' && ref.kind.toLocaleLowerCase('en-US') !== kind) {
    throw new InputError(
      `${field}: must refer to a Template, not a ${ref.kind}`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/** Who posted: the user's entity ref, or the service's subject (`external:ci`). */
function callerName(
  auth: AuthService,
  credentials: BackstageCredentials,
): string {
  if (auth.isPrincipal(credentials, 'user')) {
    return credentials.principal.userEntityRef;
  }
  if (auth.isPrincipal(credentials, 'service')) {
    return credentials.principal.subject;
  }
  return 'unknown';
}

/**
 * Template health routes, relative to the plugin's router:
 * `GET /health`, `GET /health/:namespace/:name`, `POST /health/reports`
 * (users) and `POST /health/checks` (services, or users with
 * `templates.health.check.create`).
 */
export async function createHealthRouter(
  deps: HealthRouterDeps,
): Promise<express.Router> {
  const { store, service, httpAuth, auth, permissions, catalog } = deps;
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.use('/health', express.json({ limit: BODY_LIMIT }));

  /** The template as the caller may see it, or 404. */
  async function getTemplate(
    templateRef: string,
    credentials: BackstageCredentials,
  ) {
    const template = await catalog.getEntityByRef(templateRef, { credentials });
    if (!template) {
      throw new NotFoundError(`No template ${templateRef}`);
    }
    return template;
  }

  /** The templates the caller may read in the catalog, as a predicate. */
  async function readableTemplates(credentials: BackstageCredentials) {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Template' },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    const readable = new Set(
      items.map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US')),
    );
    return (templateRef: string) => readable.has(templateRef);
  }

  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.list(await readableTemplates(credentials)));
  });

  router.get('/health/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const templateRef = entityRefFromPathParams({
      namespace: req.params.namespace,
      kind: 'template',
      name: req.params.name,
    });
    if (!templateRef) {
      throw new InputError('namespace and name must be catalog names');
    }
    res.json(
      await service.get(templateRef, await readableTemplates(credentials)),
    );
  });

  router.post('/health/reports', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body = parseBody(templateReportRequestSchema, req.body);
    const templateRef = parseRef(body.templateRef, 'templateRef', 'template');
    const entityRef =
      body.entityRef !== undefined
        ? parseRef(body.entityRef, 'entityRef', 'component')
        : undefined;

    const template = await getTemplate(templateRef, credentials);
    let projectVersion: string | undefined;
    if (entityRef) {
      const entity = await catalog.getEntityByRef(entityRef, { credentials });
      if (!entity) {
        throw new NotFoundError(`No entity ${entityRef}`);
      }
      const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_TEMPLATE];
      if (
        !source ||
        parseRef(source, 'entityRef', 'template') !== templateRef
      ) {
        throw new InputError(
          `entityRef: ${entityRef} was not made from ${templateRef}`,
        );
      }
      projectVersion =
        entity.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION];
    }

    // Kept with the version the problem is about: the one named, else the
    // project's, else the template's current one.
    const report: TemplateReport = {
      id: randomUUID(),
      templateRef,
      version:
        body.version ??
        projectVersion ??
        template.metadata.annotations?.[ANNOTATION_DECLARED_TEMPLATE_VERSION] ??
        UNVERSIONED,
      ...(entityRef ? { entityRef } : {}),
      message: body.message,
      reportedBy: credentials.principal.userEntityRef,
      createdAt: now().toISOString(),
    };
    await store.addReport(report);
    res.status(201).json(report);
  });

  router.post('/health/checks', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // CI posts as a service principal; a person needs the permission.
    if (auth.isPrincipal(credentials, 'user')) {
      const [decision] = await permissions.authorize(
        [{ permission: templateHealthCheckCreatePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `${credentials.principal.userEntityRef} may not record template checks`,
        );
      }
    }
    const body = parseBody(templateCheckRequestSchema, req.body);
    const templateRef = parseRef(body.templateRef, 'templateRef', 'template');
    await getTemplate(templateRef, await auth.getOwnServiceCredentials());

    const check: TemplateCheck = {
      id: randomUUID(),
      templateRef,
      version: body.version,
      name: body.name,
      status: body.status,
      ...(body.url ? { url: body.url } : {}),
      reportedBy: callerName(auth, credentials),
      createdAt: now().toISOString(),
    };
    res.status(201).json(await store.addCheck(check));
  });

  return router;
}
