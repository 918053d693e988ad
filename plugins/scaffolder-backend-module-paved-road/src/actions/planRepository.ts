import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LocalGitRepositories,
  validateRef,
  validateRepoName,
} from '@paved-road/plugin-local-git-node';
import { PublishTarget, readPublishTarget } from '../publishTarget';
import { examples } from './planRepository.examples';

/** The URLs of a repository `paved-road:publish` will create. */
export type PlannedRepository = {
  remoteUrl: string;
  repoContentsUrl: string;
  catalogInfoUrl: string;
  /** `<owner>/<name>` on GitHub, `<name>` on the local git hosting. */
  repoSlug: string;
};

// GitHub's own rule for repository names.
const GITHUB_REPO_NAME = /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;

/**
 * Where `paved-road:publish` will put a repository: the URLs it will
 * return, known before the repository exists. The one place both the plan
 * and the publish action's dry run compute them.
 */
export function plannedRepository(options: {
  target: PublishTarget;
  repositories: LocalGitRepositories;
  repoName: string;
  defaultBranch: string;
  /** Field named in input errors. */
  field?: string;
}): PlannedRepository {
  const { target, repositories, defaultBranch, field = 'repoName' } = options;
  if (target.target === 'local-git') {
    const name = validateRepoName(options.repoName, field);
    const contents = repositories.repoContentsUrl(name, defaultBranch);
    return {
      remoteUrl: repositories.cloneUrl(name),
      repoContentsUrl: contents,
      catalogInfoUrl: `${contents}/catalog-info.yaml`,
      repoSlug: name,
    };
  }
  const name = options.repoName;
  if (!GITHUB_REPO_NAME.test(name)) {
    throw new InputError(
      `${field} must be 1-100 letters, digits, '.', '_' or '-' to name a GitHub repository; got ${JSON.stringify(
        name,
      )}`,
    );
  }
  // What publish:github returns: the clone_url and html_url of the new
  // repository, and html_url/blob/<branch> for its files.
  const base = `https://${target.host}/${target.owner}/${name}`;
  const contents = `${base}/blob/${defaultBranch}`;
  return {
    remoteUrl: `${base}.git`,
    repoContentsUrl: contents,
    catalogInfoUrl: `${contents}/catalog-info.yaml`,
    repoSlug: `${target.owner}/${name}`,
  };
}

/**
 * @public
 * Creates the `paved-road:publish:plan` action: says where
 * `paved-road:publish` will publish a repository before it exists, from the
 * module's own configuration (`pavedRoad.publish`, `pavedRoad.localGit`).
 * Templates write these URLs into the files they render (catalog-info.yaml,
 * pom.xml), so no template carries a host of its own. Writes nothing.
 */
export function createPlanRepositoryAction(options: {
  config: Config;
  repositories: LocalGitRepositories;
}) {
  const { repositories } = options;
  const target = readPublishTarget(options.config);

  return createTemplateAction({
    id: 'paved-road:publish:plan',
    description: `Returns the URLs paved-road:publish will give a new repository (pavedRoad.publish.target, here ${target.target}), before it exists. Writes nothing.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z.string({
            description:
              'Name of the repository paved-road:publish will create: the same repoName.',
          }),
        defaultBranch: z =>
          z
            .string({
              description:
                'Branch paved-road:publish will commit to. Defaults to main.',
            })
            .optional(),
      },
      output: {
        target: z =>
          z.enum(['local-git', 'github'], {
            description: 'Where the repository will be published.',
          }),
        remoteUrl: z =>
          z.string({
            description:
              'URL to git clone the repository: the remoteUrl paved-road:publish will return.',
          }),
        repoContentsUrl: z =>
          z.string({
            description: 'Base URL of the files of the default branch.',
          }),
        catalogInfoUrl: z =>
          z.string({
            description: 'URL of catalog-info.yaml on the default branch.',
          }),
        repoSlug: z =>
          z.string({
            description:
              '<owner>/<name> on GitHub (for the github.com/project-slug annotation), <name> on the local git hosting.',
          }),
      },
    },
    async handler(ctx) {
      const defaultBranch = validateRef(
        ctx.input.defaultBranch || 'main',
        'input.defaultBranch',
      );
      const planned = plannedRepository({
        target,
        repositories,
        repoName: ctx.input.repoName,
        defaultBranch,
        field: 'input.repoName',
      });
      ctx.output('target', target.target);
      ctx.output('remoteUrl', planned.remoteUrl);
      ctx.output('repoContentsUrl', planned.repoContentsUrl);
      ctx.output('catalogInfoUrl', planned.catalogInfoUrl);
      ctx.output('repoSlug', planned.repoSlug);
    },
  });
}
