import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { AuthService, UrlReaderService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  AuditEventInput,
  projectCreatedDetailsSchema,
} from '@paved-road/plugin-paved-road-common';
import { PavedRoadAuditService } from '@paved-road/plugin-paved-road-node';
import { v5 as uuidv5 } from 'uuid';
import { examples } from './recordProject.examples';
import {
  resolveTemplateVersion,
  templateSecretPaths,
  withoutSecrets,
} from './templateProvenance';

/** Fixed namespace: the same task always gets the same event id. */
const PROJECT_CREATED_NAMESPACE = '6f2a4f0e-3c1b-5d7e-9a8b-2c4d6e8f0a1b';

/** The audit event id of the project a task created. */
export function projectCreatedEventId(taskId: string): string {
  return uuidv5(`project.created:${taskId}`, PROJECT_CREATED_NAMESPACE);
}

/**
 * @public
 * Creates the `paved-road:project:record` action: records a
 * `project.created` event (who ran which template, with which answers, and
 * which repository and entity came of it) in the Paved Road audit trail.
 * The event id derives from the task id, so a retried or recovered task
 * records the project once.
 */
export function createRecordProjectAction(options: {
  audit: PavedRoadAuditService;
  /** Reads a remote template's directory when it declares no version. */
  reader?: UrlReaderService;
  /** Read the template's form, to leave its password fields out. */
  catalog?: CatalogService;
  auth?: AuthService;
}) {
  const { audit, reader } = options;

  return createTemplateAction({
    id: 'paved-road:project:record',
    description:
      'Records the created project (creator, template, answers without secrets, owner, business unit, cost center, repository) in the Paved Road audit trail.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'The registered entity, e.g. component:default/orders-service (catalog:register outputs it).',
          }),
        owner: z =>
          z.string({
            description: 'Owning Group, e.g. group:default/checkout.',
          }),
        businessUnit: z =>
          z
            .string({
              description: 'Business-unit Group, e.g. group:default/payments.',
            })
            .optional(),
        costCenter: z =>
          z.string({ description: 'The cost center billed, e.g. CC-1001.' }),
        repoUrl: z =>
          z.string({ description: 'Clone URL of the published repository.' }),
        parameters: z =>
          z
            .record(z.string(), z.unknown(), {
              description:
                'The answers the user gave (pass ${{ parameters }}). Anything under a `secrets` key, any value equal to a task secret and any password field of the template (ui:field Secret, ui:widget or format password, a masked review) is left out.',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const actor = ctx.user?.ref;
      if (!actor) {
        throw new InputError(
          'paved-road:project:record needs the user who runs the template',
        );
      }
      const { input } = ctx;
      checkRef(input.entityRef, 'entityRef');
      checkRef(input.owner, 'owner', 'group');
      if (input.businessUnit) {
        checkRef(input.businessUnit, 'businessUnit', 'group');
      }
      const templateRef = ctx.templateInfo?.entityRef;
      const version = await resolveTemplateVersion(ctx.templateInfo, reader);
      const details = projectCreatedDetailsSchema.safeParse({
        taskId: ctx.task.id,
        templateRef,
        templateVersion: version ?? null,
        repoUrl: input.repoUrl,
        parameters: withoutSecrets(
          (input.parameters ?? {}) as JsonObject,
          Object.values(ctx.secrets ?? {}),
          await templateSecretPaths(ctx.templateInfo, options),
        ),
      });
      if (!details.success) {
        const issue = details.error.issues[0];
        throw new InputError(
          `input.${issue.path.join('.') || 'value'}: ${issue.message}`,
        );
      }
      const event: AuditEventInput = {
        id: projectCreatedEventId(ctx.task.id),
        action: 'project.created',
        outcome: 'succeeded',
        actor,
        entityRef: input.entityRef,
        owner: input.owner,
        businessUnit: input.businessUnit ?? null,
        costCenter: input.costCenter,
        summary: `Created ${input.entityRef} from ${details.data.templateRef}`,
        details: details.data,
      };
      if (ctx.isDryRun) {
        ctx.logger.info(`Would record ${input.entityRef} in the audit trail`);
        return;
      }

      await ctx.checkpoint({
        key: `paved-road.project.record.${ctx.task.id}`,
        fn: async () => {
          // Idempotent by event id: a repeat after a crash stores nothing new
          await audit.record(event);
        },
      });
      ctx.logger.info(`Recorded ${input.entityRef} in the audit trail`);
    },
  });
}

function checkRef(value: string, field: string, kind?: string) {
  let ok = false;
  try {
    const ref = parseEntityRef(value);
    ok = !kind || ref.kind.toLocaleLowerCase('en-US') === kind;
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new InputError(
      `input.${field}: must be a full ${
        kind ?? 'entity'
      } ref (kind:namespace/name)`,
    );
  }
}
