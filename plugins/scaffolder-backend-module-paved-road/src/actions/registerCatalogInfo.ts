import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError, isError } from '@backstage/errors';
import { catalogLocationCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  AuditEventInput,
} from '@paved-road/plugin-paved-road-common';
import {
  parseAuditEvent,
  PavedRoadAuditService,
} from '@paved-road/plugin-paved-road-node';
import { v5 as uuidv5 } from 'uuid';
import { readPublishTarget } from '../publishTarget';
import { examples } from './registerCatalogInfo.examples';

/** Fixed namespace: the same task and template always get the same event id. */
const TEMPLATE_REGISTERED_NAMESPACE = '0b7d6c1e-4a2f-5e8b-9c3d-1f6a8e2b4c70';

/** The audit event id of a template a task registered. */
export function templateRegisteredEventId(
  taskId: string,
  templateRef: string,
): string {
  return uuidv5(
    `template.registered:${taskId}:${templateRef}`,
    TEMPLATE_REGISTERED_NAMESPACE,
  );
}

/**
 * Where a repository published by `paved-road:publish` keeps its files: the
 * only URLs this action registers, so it cannot be used to register
 * anything else with the scaffolder's own credentials.
 */
export function publishedContentsPrefix(
  config: Config,
  repositories: LocalGitRepositories,
): string {
  const target = readPublishTarget(config);
  if (target.target === 'github') {
    // The organisation projects are published to, not all of GitHub.
    return `https://${target.host}/${target.owner}/`;
  }
  return `${repositories.baseUrl}/`;
}

/**
 * @public
 * Creates the `paved-road:catalog:register` action: registers the
 * catalog-info.yaml of the repository this task published, with the
 * scaffolder's own service credentials, so every developer can create
 * projects while registering locations by hand stays with platform
 * engineers. A retried or recovered task reuses the location it (or an
 * earlier attempt) registered. A location holding a Template (the
 * template-of-templates makes one) is registered only for a user the
 * permission policy lets register locations (platform engineers, admins),
 * and each Template is recorded as `template.registered` in the audit
 * trail, credited to that user.
 */
export function createRegisterCatalogInfoAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  config: Config;
  repositories: LocalGitRepositories;
  audit: PavedRoadAuditService;
  permissions: PermissionsService;
}) {
  const { catalog, auth, audit, permissions } = options;
  const prefix = publishedContentsPrefix(options.config, options.repositories);

  return createTemplateAction({
    id: 'paved-road:catalog:register',
    description:
      "Registers the published repository's catalog-info.yaml in the catalog with the scaffolder's own credentials; idempotent.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string({
            description: `URL of the catalog-info.yaml that paved-road:publish returned (its catalogInfoUrl output); must start with ${prefix}.`,
          }),
      },
      output: {
        entityRef: z =>
          z
            .string({
              description:
                'The main entity of the location: the first Component, else the first Template, else the first entity. Not set in a dry run.',
            })
            .optional(),
        catalogInfoUrl: z => z.string({ description: 'The registered URL.' }),
      },
    },
    async handler(ctx) {
      const catalogInfoUrl = checkUrl(ctx.input.catalogInfoUrl, prefix);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${catalogInfoUrl}`);
        ctx.output('catalogInfoUrl', catalogInfoUrl);
        return;
      }

      const actor = ctx.user?.ref;
      const { entityRef } = await ctx.checkpoint({
        key: `paved-road.catalog.register.${catalogInfoUrl}`,
        fn: async () => {
          const credentials = await auth.getOwnServiceCredentials();
          // What the location holds, read first (as catalog:register does):
          // a Template needs someone to credit before anything is written.
          const { entities } = await catalog.addLocation(
            { type: 'url', target: catalogInfoUrl, dryRun: true },
            { credentials },
          );
          const templates = entities.filter(isTemplate);
          if (templates.length > 0) {
            // Registering templates is the platform engineers' to do.
            const [decision] = await permissions.authorize(
              [{ permission: catalogLocationCreatePermission }],
              { credentials: await ctx.getInitiatorCredentials() },
            );
            if (decision.result !== AuthorizeResult.ALLOW) {
              throw new NotAllowedError(
                `Not allowed: ${catalogLocationCreatePermission.name} (registering a Template)`,
              );
            }
          }
          const events = templates.map(template => {
            if (!actor) {
              throw new InputError(
                'paved-road:catalog:register needs the user who runs the template to register a Template',
              );
            }
            // Checked now: a bad event must not follow a registration
            return parseAuditEvent(
              templateRegisteredEvent(template, {
                taskId: ctx.task.id,
                actor,
                catalogInfoUrl,
                templateOf: ctx.templateInfo?.entityRef ?? null,
              }),
            );
          });
          const location = await addOrReuseLocation(
            catalog,
            catalogInfoUrl,
            credentials,
          );
          ctx.logger.info(
            `${location.reused ? 'Reused' : 'Registered'} location ${
              location.id
            } for ${catalogInfoUrl}`,
          );
          // Idempotent by event id: a replay after a crash stores nothing new
          for (const event of events) {
            await audit.record(event);
          }
          const main = mainEntity(entities);
          return { entityRef: main ? stringifyEntityRef(main) : null };
        },
      });

      if (entityRef) {
        ctx.output('entityRef', entityRef);
      }
      ctx.output('catalogInfoUrl', catalogInfoUrl);
    },
  });
}

function checkUrl(url: string, prefix: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`input.catalogInfoUrl: "${url}" is not a URL`);
  }
  // URL() resolves dot segments, so a `..` cannot climb out of the prefix.
  if (
    !parsed.href.startsWith(prefix) ||
    !parsed.pathname.endsWith('.yaml') ||
    parsed.search ||
    parsed.hash
  ) {
    throw new InputError(
      `input.catalogInfoUrl must be a .yaml file of a repository published by paved-road:publish (under ${prefix})`,
    );
  }
  return parsed.href;
}

async function addOrReuseLocation(
  catalog: CatalogService,
  target: string,
  credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
): Promise<{ id: string; reused: boolean }> {
  try {
    const { location } = await catalog.addLocation(
      { type: 'url', target },
      { credentials },
    );
    return { id: location.id, reused: false };
  } catch (error) {
    if (!isConflict(error)) {
      throw error;
    }
    const { items } = await catalog.getLocations({}, { credentials });
    const existing = items.find(l => l.type === 'url' && l.target === target);
    if (!existing) {
      throw error;
    }
    return { id: existing.id, reused: true };
  }
}

// The catalog answers 409 for a target it already has: a ConflictError in
// process, a ResponseError over HTTP.
function isConflict(error: unknown): boolean {
  return (
    isError(error) &&
    (error.name === 'ConflictError' ||
      (error as { statusCode?: number }).statusCode === 409)
  );
}

function isTemplate(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'template';
}

/** A project's Component, else a registered Template, else what came first. */
function mainEntity(entities: Entity[]): Entity | undefined {
  const named = entities.filter(e => !e.metadata.name.startsWith('generated-'));
  return (
    named.find(e => e.kind === 'Component') ??
    named.find(isTemplate) ??
    named[0] ??
    entities[0]
  );
}

/**
 * The template's owner, business unit and cost center as its definition
 * states them; what it leaves out (undefined) the audit backend fills from
 * the catalog.
 */
function templateRegisteredEvent(
  template: Entity,
  context: {
    taskId: string;
    actor: string;
    catalogInfoUrl: string;
    templateOf: string | null;
  },
): AuditEventInput {
  const templateRef = stringifyEntityRef(template).toLocaleLowerCase('en-US');
  const annotations = template.metadata.annotations ?? {};
  let owner: string | undefined;
  if (typeof template.spec?.owner === 'string') {
    try {
      owner = stringifyEntityRef(
        parseEntityRef(template.spec.owner, {
          defaultKind: 'group',
          defaultNamespace: template.metadata.namespace ?? 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      owner = undefined;
    }
  }
  return {
    id: templateRegisteredEventId(context.taskId, templateRef),
    action: 'template.registered',
    outcome: 'succeeded',
    actor: context.actor,
    entityRef: templateRef,
    owner,
    businessUnit: annotations[ANNOTATION_BUSINESS_UNIT] || undefined,
    costCenter: annotations[ANNOTATION_COST_CENTER] || undefined,
    summary: `Registered ${templateRef}${
      context.templateOf ? ` from ${context.templateOf}` : ''
    }`,
    details: {
      taskId: context.taskId,
      catalogInfoUrl: context.catalogInfoUrl,
      templateRef: context.templateOf,
      title:
        typeof template.metadata.title === 'string'
          ? template.metadata.title
          : null,
    },
  };
}
