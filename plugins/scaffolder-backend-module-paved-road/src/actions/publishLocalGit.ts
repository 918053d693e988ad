import fs from 'node:fs/promises';
import {
  AuthService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ActionContext,
  createTemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  GitAuthor,
  LocalGitRepositories,
  validateRef,
  validateRepoName,
} from '@paved-road/plugin-local-git-node';
import { assertEntityNameFree, parseFullEntityRef } from './entityNames';
import { examples } from './publishLocalGit.examples';

/**
 * The branch holding the pristine render of the template: its first commit
 * is the repository's initial commit, pure template output, so a later
 * upgrade merges the template's changes with a true common ancestor.
 */
export const TEMPLATE_BRANCH = 'paved-road/template';

/**
 * @public
 * Creates the `publish:local-git` action: publishes the workspace as a new
 * bare repository of the local git hosting, with one initial commit authored
 * by the user who started the task, on the default branch and on
 * `paved-road/template`. A retried or recovered task returns the
 * repository it already created; a name that exists is a ConflictError, and
 * so is an `entityRef` already in the catalog (needs `catalog` and `auth`).
 */
export function createPublishLocalGitAction(options: {
  repositories: LocalGitRepositories;
  catalog?: CatalogService;
  auth?: AuthService;
}) {
  const { repositories } = options;
  const checkName = nameChecker(options);

  return createTemplateAction({
    id: 'publish:local-git',
    description:
      'Publishes the workspace to a new repository of the local git hosting (embedded default), cloneable over HTTP.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Name of the new repository: lower-case letters, digits, ".", "_" and "-", at most 100 characters. Cloned as <baseUrl>/<repoName>.git.',
          }),
        description: z =>
          z
            .string({
              description: 'Short description stored with the repository.',
            })
            .optional(),
        defaultBranch: z =>
          z
            .string({
              description: 'Branch of the initial commit. Defaults to main.',
            })
            .optional(),
        sourcePath: z =>
          z
            .string({
              description:
                'Workspace subdirectory to publish. Defaults to the whole workspace.',
            })
            .optional(),
        gitCommitMessage: z =>
          z
            .string({
              description:
                'Message of the initial commit. Defaults to "Initial commit".',
            })
            .optional(),
        entityRef: z =>
          z
            .string({
              description:
                'The entity the repository will hold, e.g. component:default/orders-service: nothing is published when the catalog already has it.',
            })
            .optional(),
      },
      output: {
        remoteUrl: z =>
          z.string({ description: 'URL to git clone the new repository.' }),
        repoContentsUrl: z =>
          z.string({
            description:
              'Base URL of the raw files of the default branch, for catalog:register (repoContentsUrl + catalogInfoPath).',
          }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'URL of the catalog-info.yaml on the default branch, for catalog:register (catalogInfoUrl).',
          }),
        commitHash: z =>
          z
            .string({
              description:
                'The initial commit. Not set in a dry run, which writes nothing.',
            })
            .optional(),
        templateBranch: z =>
          z.string({
            description: `Branch at the initial commit, the pristine template render later upgrades merge from: ${TEMPLATE_BRANCH}.`,
          }),
      },
    },
    async handler(ctx) {
      const repoName = validateRepoName(ctx.input.repoName, 'input.repoName');
      const defaultBranch = validateRef(
        ctx.input.defaultBranch || 'main',
        'input.defaultBranch',
      );
      const entityRef = ctx.input.entityRef
        ? parseFullEntityRef(ctx.input.entityRef, 'input.entityRef')
        : undefined;
      const repoContentsUrl = repositories.repoContentsUrl(
        repoName,
        defaultBranch,
      );
      const remoteUrl = repositories.cloneUrl(repoName);

      if (ctx.isDryRun) {
        // Reading is fine in a dry run; it shows a taken name before the real
        // run would fail on it.
        if (await repositories.exists(repoName)) {
          throw new ConflictError(`Repository ${repoName} already exists`);
        }
        await checkName(entityRef);
        await workspaceDir(ctx.workspacePath, ctx.input.sourcePath);
        ctx.logger.info(`Dry run: would publish ${repoName} to ${remoteUrl}`);
        ctx.output('remoteUrl', remoteUrl);
        ctx.output('repoContentsUrl', repoContentsUrl);
        ctx.output('catalogInfoUrl', `${repoContentsUrl}/catalog-info.yaml`);
        ctx.output('templateBranch', TEMPLATE_BRANCH);
        return;
      }

      const author = commitAuthorOf(ctx.user);
      // Everything that reads the catalog or the workspace runs inside the
      // checkpoint: a recovered task whose repository is already recorded
      // returns it, even though its workspace is gone and its entity is now
      // registered.
      const result = await ctx.checkpoint({
        key: `publish.local-git.${repoName}`,
        fn: async () => {
          await checkName(entityRef);
          const sourceDir = await workspaceDir(
            ctx.workspacePath,
            ctx.input.sourcePath,
          );
          // An existing repository of this very task (created just before a
          // restart) is returned by createRepository without reading files.
          if (!(await repositories.exists(repoName))) {
            await assertNotEmpty(sourceDir);
          }
          const created = await repositories.createRepository({
            name: repoName,
            sourceDir,
            author,
            message: ctx.input.gitCommitMessage,
            description: ctx.input.description,
            taskId: ctx.task.id,
            defaultBranch,
          });
          // Idempotent: a branch already at this commit is fine.
          await repositories.createBranch(
            repoName,
            TEMPLATE_BRANCH,
            created.commitHash,
          );
          return created;
        },
      });

      ctx.logger.info(
        `Published ${repoName} (${result.commitHash.slice(0, 12)}) to ${
          result.cloneUrl
        }`,
      );
      ctx.output('remoteUrl', result.cloneUrl);
      ctx.output('repoContentsUrl', result.repoContentsUrl);
      ctx.output(
        'catalogInfoUrl',
        `${result.repoContentsUrl}/catalog-info.yaml`,
      );
      ctx.output('commitHash', result.commitHash);
      ctx.output('templateBranch', TEMPLATE_BRANCH);
    },
  });
}

/**
 * The author of a new project's initial commit: the user who started the
 * task, from their catalog profile, else from their entity ref.
 */
export function commitAuthorOf(
  user: ActionContext<any, any, any>['user'],
): GitAuthor {
  const profile = user?.entity?.spec?.profile;
  let refName: string | undefined;
  try {
    refName = user?.ref ? parseEntityRef(user.ref).name : undefined;
  } catch {
    refName = undefined;
  }
  // git treats < and > as the e-mail delimiters and lines as headers.
  const clean = (value?: string) =>
    value?.replace(/[<>\r\n\0]/g, '').trim() || undefined;
  const name =
    clean(profile?.displayName) ??
    clean(refName) ??
    clean(user?.entity?.metadata.name) ??
    'Backstage Scaffolder';
  const fallbackLocalPart = (
    refName ??
    user?.entity?.metadata.name ??
    'scaffolder'
  ).replace(/[^A-Za-z0-9._-]/g, '-');
  const email =
    profile?.email && /^[^\s<>@]+@[^\s<>@]+$/.test(profile.email)
      ? profile.email
      : `${fallbackLocalPart}@users.noreply.local`;
  return { name, email };
}

export function nameChecker(options: {
  catalog?: CatalogService;
  auth?: AuthService;
}) {
  const { catalog, auth } = options;
  return async (entityRef?: CompoundEntityRef) => {
    if (!entityRef) return;
    if (!catalog || !auth) {
      throw new Error('input.entityRef needs the catalog, which is not wired');
    }
    await assertEntityNameFree({ catalog, auth, entityRef });
  };
}

/**
 * The scaffolder keeps no workspace across a backend restart: a recovered
 * task resumes after its render steps with an empty one. Publishing that
 * would make an empty repository; fail with what happened instead.
 */
export async function assertNotEmpty(dir: string): Promise<void> {
  const entries = await fs.readdir(dir);
  if (entries.length === 0) {
    throw new InputError(
      'Nothing to publish: the workspace is empty. If the backend restarted during this task, the rendered files were lost with it; nothing was published, run the template again.',
    );
  }
}

// resolveSafeChildPath refuses `..`, absolute paths and symlinks leading
// out; report that as the input error it is, naming the field.
async function workspaceDir(
  workspacePath: string,
  sourcePath?: string,
): Promise<string> {
  const invalid = () =>
    new InputError(
      `input.sourcePath ${JSON.stringify(
        sourcePath,
      )} must be a directory inside the workspace`,
    );
  let dir: string;
  try {
    dir = resolveSafeChildPath(workspacePath, sourcePath || '.');
  } catch (error) {
    throw error instanceof NotAllowedError ? invalid() : error;
  }
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw invalid();
  }
  return dir;
}
