import { Config } from '@backstage/config';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { canonicalRef } from '../service/refs';
import { ScaffolderTasks } from './ScaffolderTasks';
import {
  applyParameterDefaults,
  missingParameters,
  parameterSteps,
  unknownParameters,
} from './templateParameters';

export function createCreateProjectAction(options: {
  actionsRegistry: ActionsRegistryService;
  catalog: CatalogService;
  tasks: ScaffolderTasks;
  config: Config;
}) {
  const { actionsRegistry, catalog, tasks, config } = options;
  actionsRegistry.register({
    name: 'create-project',
    title: 'Create a project from a template',
    description: `Creates a new project (repository with code that builds, CI/CD, deployment settings, catalog entity with owner and cost center) from a Paved Road template, as the calling user.
Give the template's name (see list-templates) and the values for its parameters; every parameter left out gets the template's default, so usually \`name\`, \`owner\` (a team such as \`group:default/checkout\`) and a \`description\` are enough. Values are checked against the template's parameters first and nothing is created when they fail: an InputError lists every missing required field, or each invalid field (of the first form page with errors).
Creation runs in the background and takes a little while: this returns a \`taskId\` at once; call get-project-creation-status with it until \`finished\` is true, then get-project with the \`entityRef\` it returns.`,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          template: z
            .string()
            .describe(
              'Template name, e.g. `kotlin-spring-service`, or its ref `template:default/kotlin-spring-service`',
            ),
          values: z
            .record(z.unknown())
            .describe(
              'Parameter values by name, nested as the template nests them, e.g. `{ "name": "orders-service", "owner": "group:default/checkout", "deployment": { "replicas": 3 } }`',
            ),
        }),
      output: z =>
        z.object({
          taskId: z.string().describe('Pass it to get-project-creation-status'),
          templateRef: z.string(),
          values: z
            .record(z.unknown())
            .describe(
              'The values the task runs with, the template defaults filled in',
            ),
          taskUrl: z
            .string()
            .describe('The task page in the portal, for a person to watch'),
        }),
    },
    action: async ({ input, credentials }) => {
      const templateRef = canonicalRef(input.template, 'template', 'template');
      const template = await catalog.getEntityByRef(templateRef, {
        credentials,
      });
      if (
        !template ||
        template.kind.toLocaleLowerCase('en-US') !== 'template'
      ) {
        throw new NotFoundError(
          `No template ${templateRef}; list-templates lists the templates`,
        );
      }
      const steps = parameterSteps(template.spec);
      const unknown = unknownParameters(steps, input.values);
      if (unknown.length > 0) {
        throw new InputError(
          `values: ${templateRef} has no parameter ${unknown.join(
            ', ',
          )}; list-templates lists its parameters`,
        );
      }
      const values = applyParameterDefaults(steps, input.values);
      // The scaffolder stops at the first page with an error; what is
      // missing is listed for every page at once.
      const missing = missingParameters(steps, values);
      if (missing.length > 0) {
        throw new InputError(
          `values: ${templateRef} needs ${missing
            .map(
              p =>
                `${p.name} (${[p.title, p.type].filter(Boolean).join(', ')})`,
            )
            .join(', ')}`,
        );
      }
      const taskId = await tasks.start(templateRef, values, credentials);
      const appBaseUrl = config.getString('app.baseUrl');
      return {
        output: {
          taskId,
          templateRef,
          values,
          taskUrl: `${appBaseUrl}/create/tasks/${taskId}`,
        },
      };
    },
  });
}
