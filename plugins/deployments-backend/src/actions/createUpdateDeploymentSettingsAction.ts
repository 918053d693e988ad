import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parse, updateSettingsRequestSchema } from '../service/requests';
import { SettingsService } from '../service/SettingsService';
import { ENTITY_REF_DESCRIPTION, entityRefInput } from './entityRefInput';
import { settingsSchema, settingsVersionSchema } from './schemas';
import { requireUser } from './userCredentials';

export function createUpdateDeploymentSettingsAction(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  settings: SettingsService;
}) {
  const { actionsRegistry, auth, settings } = options;
  actionsRegistry.register({
    name: 'update-deployment-settings',
    title: 'Change deployment settings',
    description: `Changes some deployment settings of a Paved Road service (e.g. only \`replicas\`), keeping the others. The change is validated, committed to deploy/paved-road.yaml in the service's repository as the calling user (or proposed as a pull request where the portal is configured so), stored as a new version and written to the audit trail. The cost estimate follows the new settings.
Only the owning team (and platform admins) may change a service's settings; others get NotAllowedError. Pass \`baseVersion\` (the \`version\` from get-deployment-settings) to be sure nobody changed them in between: a newer version gives ConflictError, then read and apply again. A deactivated service refuses changes (ConflictError).`,
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
          settings: settingsSchema(z)
            .extend({
              rollout: settingsSchema(z).shape.rollout.partial().optional(),
            })
            .partial()
            .describe(
              'Only the settings to change, e.g. `{ "replicas": 3 }` or `{ "rollout": { "strategy": "rolling" } }`; the others keep their current value',
            ),
          message: z
            .string()
            .describe(
              'Why, in one sentence: the commit message and audit summary',
            ),
          baseVersion: z
            .number()
            .int()
            .optional()
            .describe(
              'The version the change is made against (get-deployment-settings `version`); defaults to the latest',
            ),
        }),
      output: z =>
        z.object({
          mode: z
            .enum(['commit', 'pull-request'])
            .describe(
              '`commit`: applied, `version` is the new version; `pull-request`: proposed, applied once `pullRequestUrl` is merged',
            ),
          version: settingsVersionSchema(z)
            .nullable()
            .describe('The new version (mode `commit`)'),
          pullRequestUrl: z
            .string()
            .nullable()
            .describe('The pull request to merge (mode `pull-request`)'),
        }),
    },
    action: async ({ input, credentials }) => {
      const user = requireUser(auth, credentials);
      const entityRef = entityRefInput(input.entityRef);
      const latest = await settings.getLatest(entityRef);
      const { rollout, ...rest } = input.settings;
      // The whole new settings and request, checked as the REST route
      // checks a PUT body: the error names the field (`settings.replicas`).
      const change = parse(updateSettingsRequestSchema, {
        settings: {
          ...latest.settings,
          ...rest,
          rollout: { ...latest.settings.rollout, ...rollout },
        },
        baseVersion: input.baseVersion ?? latest.version,
        message: input.message,
      });
      const result = await settings.updateSettings(entityRef, change, user);
      return {
        output:
          result.mode === 'commit'
            ? {
                mode: result.mode,
                version: result.version,
                pullRequestUrl: null,
              }
            : {
                mode: result.mode,
                version: null,
                pullRequestUrl: result.pullRequestUrl,
              },
      };
    },
  });
}
