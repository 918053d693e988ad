import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DeploymentService } from '../deploy/DeploymentService';
import { parse, rollbackRequestSchema } from '../service/requests';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { deploymentSchema, toDeploymentOutput } from './schemas';
import { requireUser } from './userCredentials';

export function createRollbackDeploymentAction(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  deployments: DeploymentService;
}) {
  const { actionsRegistry, auth, deployments } = options;
  actionsRegistry.register({
    name: 'rollback-deployment',
    title: 'Roll a service back',
    description: `Deploys again the version of a Paved Road service that ran in an environment before the current one (its code with the settings it ran with), e.g. after a bad release.
Returns the new deployment (kind \`rollback\`); follow it with get-deployment. ConflictError when there is no earlier successful version. Only the owning team (and platform admins) may roll back; others get NotAllowedError.`,
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
          environment: z
            .string()
            .optional()
            .describe('The environment to roll back; defaults to `production`'),
        }),
      output: deploymentSchema,
    },
    action: async ({ input, credentials }) => {
      const user = requireUser(auth, credentials);
      const entityRef = entityRefInput(input.entityRef);
      const request = parse(rollbackRequestSchema, {
        environment: input.environment,
      });
      const details = await deployments.rollback(entityRef, request, user);
      return { output: toDeploymentOutput(details) };
    },
  });
}
