import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { ScaffolderTasks } from './ScaffolderTasks';
import { taskStatusSchema } from './schemas';

export function createGetProjectCreationStatusAction(options: {
  actionsRegistry: ActionsRegistryService;
  tasks: ScaffolderTasks;
}) {
  const { actionsRegistry, tasks } = options;
  actionsRegistry.register({
    name: 'get-project-creation-status',
    title: 'Get the progress of a project creation',
    description: `Returns where a project creation started by create-project is: the task status, each template step with its status (and error if it failed), and once completed the new repository URL and catalog entity ref.
Call it every few seconds until \`finished\` is true. On \`failed\`, \`error\` and the failed step say why.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          taskId: z.string().describe('The `taskId` create-project returned'),
        }),
      output: taskStatusSchema,
    },
    action: async ({ input, credentials }) => {
      if (!/^[A-Za-z0-9-]{1,64}$/.test(input.taskId)) {
        throw new InputError(
          'taskId: must be a task id as create-project returns it',
        );
      }
      return { output: await tasks.status(input.taskId, credentials) };
    },
  });
}
