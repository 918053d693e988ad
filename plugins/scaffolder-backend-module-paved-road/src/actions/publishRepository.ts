import { AuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  createPublishGithubAction,
  getOctokitClient,
  getOctokitOptions,
} from '@backstage/plugin-scaffolder-backend-module-github';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import { parseFullEntityRef } from './entityNames';
import {
  commitAuthorOf,
  createPublishLocalGitAction,
  assertNotEmpty,
  nameChecker,
  TEMPLATE_BRANCH,
} from './publishLocalGit';
import { examples } from './publishRepository.examples';
import { plannedRepository } from './planRepository';
import { readPublishTarget } from '../publishTarget';

/**
 * @public
 * Creates the `paved-road:publish` action: one publishing step for every
 * Paved Road template. It delegates to `publish:local-git` (embedded
 * default) or to the stock `publish:github` (production), chosen by
 * `pavedRoad.publish.target`, and gives both the same outputs.
 */
export function createPublishRepositoryAction(options: {
  config: Config;
  repositories: LocalGitRepositories;
  /** For the `entityRef` check: nothing is published for a taken name. */
  catalog?: CatalogService;
  auth?: AuthService;
  /** Defaults to the integrations' GitHub tokens and apps. */
  githubCredentialsProvider?: GithubCredentialsProvider;
}) {
  const { config, repositories, catalog, auth } = options;
  const target = readPublishTarget(config);
  const localGit = createPublishLocalGitAction({ repositories, catalog, auth });
  const checkName = nameChecker({ catalog, auth });

  // Built only for the github target, so the embedded default needs no
  // GitHub integration at all.
  const integrations = ScmIntegrations.fromConfig(config);
  const credentialsProvider =
    options.githubCredentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const github =
    target.target === 'github'
      ? createPublishGithubAction({
          integrations,
          config,
          githubCredentialsProvider: credentialsProvider,
        })
      : undefined;
  return createTemplateAction({
    id: 'paved-road:publish',
    description: `Publishes the workspace to a new repository: to the local git hosting or to GitHub, as configured (pavedRoad.publish.target, here ${target.target}).`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string({
              description:
                'Name of the new repository. Required for local-git unless repoUrl is given; for github it is combined with pavedRoad.publish.github.owner when repoUrl is not given.',
            })
            .optional(),
        repoUrl: z =>
          z
            .string({
              description:
                'GitHub repository as github.com?owner=<owner>&repo=<name>, e.g. from RepoUrlPicker. For local-git only its repo is used.',
            })
            .optional(),
        description: z =>
          z
            .string({ description: 'Short description of the repository.' })
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
              description: 'Message of the initial commit.',
            })
            .optional(),
        repoVisibility: z =>
          z
            .enum(['private', 'internal', 'public'], {
              description:
                'GitHub only: visibility of the new repository. Defaults to private.',
            })
            .optional(),
        token: z =>
          z
            .string({
              description:
                'GitHub only: token to act as the user, e.g. ${{ secrets.USER_OAUTH_TOKEN }}. Defaults to the integration credentials.',
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
              'Base URL of the files of the default branch (catalog:register repoContentsUrl).',
          }),
        catalogInfoUrl: z =>
          z.string({
            description:
              'URL of catalog-info.yaml on the default branch (catalog:register catalogInfoUrl).',
          }),
        commitHash: z =>
          z
            .string({
              description: 'The initial commit. Not set in a dry run.',
            })
            .optional(),
        templateBranch: z =>
          z.string({
            description: `Branch at the initial commit, the pristine template render later upgrades merge from: ${TEMPLATE_BRANCH}.`,
          }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;

      if (!github || target.target !== 'github') {
        const repoName = input.repoName || repoOfUrl(input.repoUrl);
        if (!repoName) {
          throw new InputError(
            'input.repoName is required to publish to local git',
          );
        }
        await localGit.handler({
          ...ctx,
          input: {
            repoName,
            description: input.description,
            defaultBranch: input.defaultBranch,
            sourcePath: input.sourcePath,
            gitCommitMessage: input.gitCommitMessage,
            entityRef: input.entityRef,
          },
        });
        return;
      }
      const entityRef = input.entityRef
        ? parseFullEntityRef(input.entityRef, 'input.entityRef')
        : undefined;

      const repoUrl =
        input.repoUrl ||
        defaultRepoUrl(target.host, target.owner, input.repoName);
      const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
      if (!owner || !integrations.github.byHost(host)) {
        throw new InputError(
          `input.repoUrl must name an owner on a configured GitHub host; got ${JSON.stringify(
            repoUrl,
          )}`,
        );
      }
      const defaultBranch = input.defaultBranch || 'main';

      if (ctx.isDryRun) {
        await checkName(entityRef);
        // publish:github has no dry run; these are the URLs it would return.
        const planned = plannedRepository({
          target: { target: 'github', host, owner },
          repositories,
          repoName: repo,
          defaultBranch,
          field: 'input.repoUrl',
        });
        ctx.output('remoteUrl', planned.remoteUrl);
        ctx.output('repoContentsUrl', planned.repoContentsUrl);
        ctx.output('catalogInfoUrl', planned.catalogInfoUrl);
        ctx.output('templateBranch', TEMPLATE_BRANCH);
        return;
      }

      const author = commitAuthorOf(ctx.user);
      // publish:github checkpoints only the repository creation; this outer
      // checkpoint also keeps a replayed step from pushing a second commit.
      const result = await ctx.checkpoint({
        key: `publish.github.${host}.${owner}.${repo}`,
        fn: async () => {
          await checkName(entityRef);
          await assertNotEmpty(ctx.workspacePath);
          const outputs: Record<string, string | undefined> = {};
          try {
            await github.handler({
              ...ctx,
              input: {
                repoUrl,
                description: input.description,
                defaultBranch,
                sourcePath: input.sourcePath,
                repoVisibility: input.repoVisibility,
                gitCommitMessage: input.gitCommitMessage,
                gitAuthorName: author.name,
                gitAuthorEmail: author.email,
                token: input.token,
              },
              output: (name: string, value: unknown) => {
                outputs[name] = typeof value === 'string' ? value : undefined;
              },
            });
          } catch (error) {
            // GitHub answers 422 "name already exists on this account".
            if (/name already exists/i.test(String(error))) {
              throw new ConflictError(
                `Repository ${owner}/${repo} already exists on ${host}`,
              );
            }
            throw error;
          }
          if (!outputs.remoteUrl || !outputs.repoContentsUrl) {
            throw new Error('publish:github returned no repository URLs');
          }
          return {
            remoteUrl: outputs.remoteUrl,
            repoContentsUrl: outputs.repoContentsUrl,
            commitHash: outputs.commitHash ?? null,
          };
        },
      });

      ctx.output('remoteUrl', result.remoteUrl);
      ctx.output('repoContentsUrl', result.repoContentsUrl);
      ctx.output(
        'catalogInfoUrl',
        `${result.repoContentsUrl}/catalog-info.yaml`,
      );
      if (!result.commitHash) {
        throw new Error('publish:github returned no commit');
      }
      const commitHash = result.commitHash;
      // A checkpoint of its own: a retry after the repository was published
      // but before the branch was made makes the branch and nothing else.
      await ctx.checkpoint({
        key: `publish.github.${host}.${owner}.${repo}.template-branch`,
        fn: async () => {
          const octokit = getOctokitClient(
            {
              ...(await getOctokitOptions({
                integrations,
                credentialsProvider,
                token: input.token,
                host,
                owner,
                repo,
              })),
              // The octokit package's retry plugin kept a 422 ("Reference
              // already exists") pending instead of throwing it; both calls
              // are safe to repeat, and a failed step is retried whole.
              retry: { enabled: false },
            },
            ctx.logger,
          );
          await createTemplateBranch(octokit, { owner, repo, commitHash });
        },
      });

      ctx.output('commitHash', commitHash);
      ctx.output('templateBranch', TEMPLATE_BRANCH);
    },
  });
}

/**
 * Points `paved-road/template` at the initial commit. GitHub answers 422
 * "Reference already exists" for a branch made before: fine when it is at
 * this commit (a repeated step), a conflict otherwise.
 */
async function createTemplateBranch(
  octokit: ReturnType<typeof getOctokitClient>,
  target: { owner: string; repo: string; commitHash: string },
) {
  const { owner, repo, commitHash } = target;
  try {
    await octokit.rest.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${TEMPLATE_BRANCH}`,
      sha: commitHash,
    });
  } catch (error) {
    if ((error as { status?: number }).status !== 422) {
      throw error;
    }
    const { data } = await octokit.rest.git.getRef({
      owner,
      repo,
      ref: `heads/${TEMPLATE_BRANCH}`,
    });
    if (data.object.sha !== commitHash) {
      throw new ConflictError(
        `Branch ${TEMPLATE_BRANCH} of ${owner}/${repo} already exists at ${data.object.sha}, not at the initial commit ${commitHash}`,
      );
    }
  }
}

/** `repoName` in the configured organisation, as RepoUrlPicker writes it. */
function defaultRepoUrl(host: string, owner: string, repoName?: string) {
  if (!repoName) {
    throw new InputError(
      'input.repoName (or input.repoUrl) is required to publish to GitHub',
    );
  }
  const query = new URLSearchParams({ owner, repo: repoName });
  return `${host}?${query}`;
}

function repoOfUrl(repoUrl?: string): string | undefined {
  if (!repoUrl) return undefined;
  const query = repoUrl.slice(repoUrl.indexOf('?') + 1);
  return new URLSearchParams(query).get('repo') ?? undefined;
}
