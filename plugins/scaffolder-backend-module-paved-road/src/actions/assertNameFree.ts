import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './assertNameFree.examples';
import { assertEntityNameFree, parseFullEntityRef } from './entityNames';

/**
 * @public
 * Creates the `paved-road:catalog:assert-name-free` action: the first step
 * of every Paved Road template, which fails the run before anything is
 * written when the new entity's name is already taken in the catalog.
 */
export function createAssertNameFreeAction(options: {
  catalog: CatalogService;
  auth: AuthService;
}) {
  const { catalog, auth } = options;

  return createTemplateAction({
    id: 'paved-road:catalog:assert-name-free',
    description:
      'Fails the step when the catalog already holds an entity of the given kind, namespace and name.',
    examples,
    // Reading only: a dry run shows a taken name as the real run would.
    supportsDryRun: true,
    schema: {
      input: {
        kind: z =>
          z.string({
            description:
              'Kind of the entity the template creates, e.g. Component.',
          }),
        namespace: z =>
          z
            .string({
              description: 'Namespace of the new entity. Defaults to default.',
            })
            .optional(),
        name: z =>
          z.string({
            description: 'Name of the new entity, e.g. orders-service.',
          }),
      },
    },
    async handler(ctx) {
      const { kind, name } = ctx.input;
      const namespace = ctx.input.namespace || 'default';
      const entityRef = parseFullEntityRef(
        `${kind}:${namespace}/${name}`,
        'input',
      );
      await assertEntityNameFree({ catalog, auth, entityRef });
      ctx.logger.info(`${stringifyEntityRef(entityRef)} is free`);
    },
  });
}
