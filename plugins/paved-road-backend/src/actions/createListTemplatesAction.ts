import { stringifyEntityRef } from '@backstage/catalog-model';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { parameterSummarySchema } from './schemas';
import { parameterSteps, summarizeParameters } from './templateParameters';

export function createListTemplatesAction(options: {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
}) {
  const { actionsRegistry, catalog } = options;
  actionsRegistry.register({
    name: 'list-templates',
    title: 'List project templates',
    description: `Lists the software templates new projects are created from (e.g. a Kotlin Spring Boot service, a Kotlin library), each with every parameter it asks for: name, type, whether it is required, its default and its allowed values, read from the template itself.
Use it before create-project to pick a template and to know which values to ask the user for: required parameters without a default must be given; the others may be left out.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          templates: z.array(
            z.object({
              name: z
                .string()
                .describe('Pass it as `template` to create-project'),
              entityRef: z
                .string()
                .describe('e.g. `template:default/kotlin-spring-service`'),
              title: z.string(),
              description: z.string().nullable(),
              type: z.string().nullable().describe('e.g. `service`, `library`'),
              tags: z.array(z.string()),
              parameters: z.array(parameterSummarySchema(z)),
            }),
          ),
        }),
    },
    action: async ({ credentials }) => {
      const { items } = await catalog.queryEntities(
        {
          filter: { kind: 'Template' },
          orderFields: { field: 'metadata.name', order: 'asc' },
        },
        { credentials },
      );
      return {
        output: {
          templates: items.map(template => ({
            name: template.metadata.name,
            entityRef: stringifyEntityRef(template).toLocaleLowerCase('en-US'),
            title: template.metadata.title ?? template.metadata.name,
            description: template.metadata.description ?? null,
            type: (template.spec?.type as string | undefined) ?? null,
            tags: template.metadata.tags ?? [],
            parameters: summarizeParameters(parameterSteps(template.spec)),
          })),
        },
      };
    },
  });
}
