import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { SettingsService } from '../service/SettingsService';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { settingsVersionSchema } from './schemas';

export function createGetDeploymentSettingsAction(options: {
  actionsRegistry: ActionsRegistryService;
  settings: SettingsService;
}) {
  const { actionsRegistry, settings } = options;
  actionsRegistry.register({
    name: 'get-deployment-settings',
    title: 'Get deployment settings',
    description: `Returns the current deployment settings of a Paved Road service: cluster, replicas, CPU, memory, regions and rollout strategy, with their version number, who changed them last and the commit that holds them (deploy/paved-road.yaml in the service's repository).
Use it before update-deployment-settings: its \`version\` is the \`baseVersion\` of a change. Anyone signed in may read settings.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
        }),
      output: settingsVersionSchema,
    },
    action: async ({ input }) => {
      const entityRef = entityRefInput(input.entityRef);
      return { output: await settings.getLatest(entityRef) };
    },
  });
}
