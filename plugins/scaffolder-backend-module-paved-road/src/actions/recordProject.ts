import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { projectAuditRecordRequestSchema } from '@paved-road/plugin-paved-road-common';
import { examples } from './recordProject.examples';

/**
 * @public
 * Creates the `paved-road:project:record` action: adds the new project (who
 * created it, from which template, with which owner and cost center) to the
 * audit trail the catalog module keeps. Keyed by the task id, so a retried
 * step records it once.
 */
export function createRecordProjectAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  const { auth, discovery } = options;

  return createTemplateAction({
    id: 'paved-road:project:record',
    description:
      'Records the created project (creator, template, owner, business unit, cost center, repository) in the Paved Road audit trail.',
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
      },
    },
    async handler(ctx) {
      const createdBy = ctx.user?.ref;
      if (!createdBy) {
        throw new InputError(
          'paved-road:project:record needs the user who runs the template',
        );
      }
      const parsed = projectAuditRecordRequestSchema.safeParse({
        taskId: ctx.task.id,
        createdBy,
        templateRef: ctx.templateInfo?.entityRef,
        ...ctx.input,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(
          `input.${issue.path.join('.') || 'value'}: ${issue.message}`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would record ${parsed.data.entityRef} in the audit trail`,
        );
        return;
      }

      await ctx.checkpoint({
        key: `paved-road.project.record.${parsed.data.entityRef}`,
        fn: async () => {
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'catalog',
          });
          const base = await discovery.getBaseUrl('catalog');
          const res = await fetch(`${base}/paved-road/audit/projects`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${token}`,
            },
            body: JSON.stringify(parsed.data),
          });
          // 201 recorded; 200 the same task was recorded before.
          if (!res.ok) {
            throw await ResponseError.fromResponse(res);
          }
        },
      });
      ctx.logger.info(`Recorded ${parsed.data.entityRef} in the audit trail`);
    },
  });
}
