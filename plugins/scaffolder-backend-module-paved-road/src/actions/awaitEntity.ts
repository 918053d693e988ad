import { AuthService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './awaitEntity.examples';

const POLL_MS = 200;

/**
 * @public
 * Creates the `paved-road:catalog:await-entity` action: waits until a newly
 * registered entity is readable from the catalog, so the "Open in catalog"
 * link at the end of a task never lands on "Entity not found" (the entity
 * page does not retry).
 */
export function createAwaitEntityAction(options: {
  catalog: CatalogService;
  auth: AuthService;
}) {
  const { catalog, auth } = options;

  return createTemplateAction({
    id: 'paved-road:catalog:await-entity',
    description:
      'Waits until an entity (usually the one catalog:register just registered) is readable from the catalog.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'The entity to wait for, e.g. component:default/orders-service.',
          }),
        timeoutSeconds: z =>
          z
            .number({
              description:
                'How long to wait before failing the step. Defaults to 60.',
            })
            .int()
            .min(1)
            .max(600)
            .optional(),
      },
    },
    async handler(ctx) {
      const { entityRef } = ctx.input;
      if (!/^[a-z0-9-]+:[^/\s]+\/\S+$/i.test(entityRef)) {
        throw new InputError(
          `input.entityRef: "${entityRef}" is not a full entity ref (kind:namespace/name)`,
        );
      }
      if (ctx.isDryRun) {
        return;
      }
      const timeoutMs = (ctx.input.timeoutSeconds ?? 60) * 1000;
      const started = Date.now();
      for (;;) {
        const entity = await catalog.getEntityByRef(entityRef, {
          credentials: await auth.getOwnServiceCredentials(),
        });
        if (entity) {
          ctx.logger.info(
            `${entityRef} is in the catalog after ${Date.now() - started} ms`,
          );
          return;
        }
        if (Date.now() - started >= timeoutMs || ctx.signal?.aborted) {
          throw new NotFoundError(
            `${entityRef} did not appear in the catalog within ${
              timeoutMs / 1000
            } s; see the catalog's processing errors for its location`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, POLL_MS));
      }
    },
  });
}
