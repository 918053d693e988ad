import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { DeploymentService } from '../deploy/DeploymentService';
import { createDeploymentRequestSchema, parse } from '../service/requests';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { deploymentSchema, toDeploymentOutput } from './schemas';
import { requireUser } from './userCredentials';

export function createDeployProjectAction(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  deployments: DeploymentService;
}) {
  const { actionsRegistry, auth, deployments } = options;
  actionsRegistry.register({
    name: 'deploy-project',
    title: 'Deploy a service',
    description: `Starts a deployment of a Paved Road service: builds the given branch, tag or commit (default: the head of the default branch) and rolls it out to an environment (default \`production\`) with the service's deployment settings — canary, health check, then the rest, rolled back automatically when the check fails.
Returns at once with the deployment \`id\` and status \`pending\`; call get-deployment with the id until the status is \`succeeded\`, \`failed\` or \`rolled-back\`. Only the owning team (and platform admins) may deploy; others get NotAllowedError. \`environment\` \`preview-<branch>\` deploys that branch to a temporary preview environment.`,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
          ref: z
            .string()
            .optional()
            .describe(
              'Branch, tag or commit sha to deploy; defaults to the head of the default branch',
            ),
          environment: z
            .string()
            .optional()
            .describe(
              'Target environment, e.g. `production` (the default) or `staging`, or `preview-<branch>` for a preview of a branch',
            ),
        }),
      output: deploymentSchema,
    },
    action: async ({ input, credentials }) => {
      const user = requireUser(auth, credentials);
      const entityRef = entityRefInput(input.entityRef);
      const request = parse(createDeploymentRequestSchema, {
        ref: input.ref,
        environment: input.environment,
      });
      const details = await deployments.create(entityRef, request, user);
      return { output: toDeploymentOutput(details) };
    },
  });
}
