import { AuthService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { upgradeRequestSchema } from '@paved-road/plugin-templates-common';
import { parse } from '../service/requests';
import { UpgradeService } from '../service/UpgradeService';
import {
  ENTITY_REF_DESCRIPTION,
  TEMPLATE_REF_DESCRIPTION,
  refInput,
  requireUser,
} from './inputs';

type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['output']
>[0];

// Jobs, fleets and upgrade views are the REST API's shapes (types in
// templates-common); the MCP client reads them as JSON.
const anyObject = (z: Zod) => z.object({}).passthrough();

/**
 * Upgrades as actions (exposed over MCP by mcp-actions-backend), through
 * the service the REST routes use: the same permission checks, validation
 * and audit.
 */
export function registerTemplatesActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  upgrades: UpgradeService;
}) {
  const { actionsRegistry, auth, upgrades } = options;

  actionsRegistry.register({
    name: 'get-project-upgrade',
    title: 'Check a project for a template upgrade',
    description: `Tells whether a project made from a software template can be upgraded to a newer template version: its current and latest version, \`available\`, the changelog between them, the defaults of questions the newer version adds (\`newAnswers\`), the required questions without a default (\`missingAnswers\`, to give as \`answers\` to upgrade-project), and the last upgrade job. When \`available\` is false, \`reason\` says why (up-to-date, ahead, no-template-branch, no-answers, template-not-found, not-from-template).`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({ entityRef: z.string().describe(ENTITY_REF_DESCRIPTION) }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: await upgrades.getProjectUpgrade(
        refInput(input.entityRef, 'entityRef', 'component'),
        credentials,
      ),
    }),
  });

  actionsRegistry.register({
    name: 'upgrade-project',
    title: 'Upgrade a project to its template’s latest version',
    description: `Queues an upgrade of a project to the latest version of its template (\`toVersion\` must be that version, as get-project-upgrade reports it). The upgrade renders the new version with the project's stored answers and merges it into a new branch \`paved-road/upgrade-<version>\` with git's three-way merge: the team's own edits stay, conflicts are left as conflict markers and listed. On GitHub it opens a pull request. Returns the job at once; call get-upgrade with its id until \`status\` is \`succeeded\` or \`failed\`. Asking again for the same version returns the same job. Only the owning team and platform engineers may upgrade; others get NotAllowedError.`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe(ENTITY_REF_DESCRIPTION),
          toVersion: z
            .string()
            .describe('The template version to upgrade to: the latest one'),
          answers: z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Answers to questions the newer version asks (missingAnswers), or changed answers',
            ),
        }),
      output: z => z.object({ job: z.object({}).passthrough() }),
    },
    action: async ({ input, credentials }) => {
      const user = requireUser(auth, credentials);
      const { job } = await upgrades.requestUpgrade(
        refInput(input.entityRef, 'entityRef', 'component'),
        parse(upgradeRequestSchema, {
          toVersion: input.toVersion,
          answers: input.answers,
        }),
        user,
      );
      return { output: { job } };
    },
  });

  actionsRegistry.register({
    name: 'get-upgrade',
    title: 'Follow a template upgrade',
    description: `Reads an upgrade job by id: \`status\` (queued, running, succeeded, failed), \`outcome\` (clean, conflicts, no-change), and \`result\` with the branch, its clone URL, the pull request URL (GitHub), the changed files and the conflicts to resolve.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ id: z.string().describe('The job id') }),
      output: z => z.object({ job: z.object({}).passthrough() }),
    },
    action: async ({ input, credentials }) => ({
      output: { job: await upgrades.getJob(input.id, credentials) },
    }),
  });

  actionsRegistry.register({
    name: 'merge-upgrade',
    title: 'Merge a clean template upgrade',
    description: `Merges the branch of a finished, clean upgrade job (outcome \`clean\`) into the project's default branch. Only for repositories without pull requests (Paved Road's local git); on GitHub merge the pull request instead. Refused (ConflictError) when the upgrade has conflicts or the default branch moved since the upgrade was made. Merging twice returns the job as merged. Only the owning team and platform engineers may merge.`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
    schema: {
      input: z => z.object({ id: z.string().describe('The upgrade job id') }),
      output: z => z.object({ job: z.object({}).passthrough() }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        job: await upgrades.mergeUpgrade(
          input.id,
          requireUser(auth, credentials),
        ),
      },
    }),
  });

  actionsRegistry.register({
    name: 'get-template-fleet',
    title: 'List the projects made from a template',
    description: `Lists every project made from a template with the template version each is on, how many projects are on each version, the latest version, which can be upgraded (\`available\`) and each one's last upgrade job.`,
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          templateRef: z.string().describe(TEMPLATE_REF_DESCRIPTION),
        }),
      output: anyObject,
    },
    action: async ({ input, credentials }) => ({
      output: await upgrades.getFleet(
        refInput(input.templateRef, 'templateRef', 'template'),
        credentials,
      ),
    }),
  });
}
