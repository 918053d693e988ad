import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentService } from '../deploy/DeploymentService';
import { parseDeploymentId } from '../service/requests';
import { deploymentSchema, toDeploymentOutput } from './schemas';

export function createGetDeploymentAction(options: {
  actionsRegistry: ActionsRegistryService;
  deployments: DeploymentService;
  logger: LoggerService;
}) {
  const { actionsRegistry, deployments, logger } = options;
  actionsRegistry.register({
    name: 'get-deployment',
    title: 'Get a deployment',
    description: `Returns one deployment of a Paved Road service by its id (from deploy-project or rollback-deployment): its status, each rollout stage with its error if it failed, and, once it succeeded, the URL the service answers on.
Call it again every few seconds while the status is \`pending\` or \`in-progress\`. Anyone signed in may read deployments.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          deploymentId: z.string().describe('The deployment id, a UUID'),
        }),
      output: z =>
        deploymentSchema(z).extend({
          serviceUrl: z
            .string()
            .nullable()
            .describe(
              'Where the service answers in that environment now; null while nothing runs',
            ),
        }),
    },
    action: async ({ input }) => {
      const id = parseDeploymentId(input.deploymentId, 'deploymentId');
      const details = await deployments.get(id);
      let serviceUrl: string | null = null;
      if (details.status === 'succeeded') {
        // Where it runs is the provider's to say; a provider that cannot
        // answer leaves the deployment itself readable.
        serviceUrl = await deployments
          .runtime(details.entityRef, details.environment)
          .then(runtime => runtime.url)
          .catch(error => {
            logger.warn(
              `Reading the runtime of ${details.entityRef} failed: ${error}`,
            );
            return null;
          });
      }
      return { output: { ...toDeploymentOutput(details), serviceUrl } };
    },
  });
}
