import fs from 'node:fs/promises';
import { join } from 'node:path';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  commitDirectory,
  commitMessage,
  GitAuthor,
  listTree,
  mergeIntoNewBranch,
  readBlob,
  resolveRef,
  validateRef,
} from '@paved-road/plugin-local-git-node';
import {
  UpgradeJob,
  UpgradeOutcome,
  UpgradeResult,
} from '@paved-road/plugin-templates-common';
import { changelogBetween } from '@paved-road/plugin-templates-node';
import { ProjectHost, ProjectRepository } from '../hosts/ProjectHost';
import { TemplateRenderer } from '../render/TemplateRenderer';
import { ANSWERS_FILE, parseAnswersFile } from '../templates/answers';
import { pullRequestBody, pullRequestTitle } from './pullRequestBody';

/** The branch holding a project's pristine template renders. */
export const TEMPLATE_BRANCH = 'paved-road/template';

/** Trailer naming the job that committed a render onto the template branch. */
export const UPGRADE_TRAILER = 'Paved-Road-Upgrade';

/** Finds where a project's repository lives. */
export type ProjectLocator = {
  locate(entity: Entity): ProjectHost | Promise<ProjectHost>;
};

/**
 * `paved-road/upgrade-<version>`, with anything a branch name should not
 * hold replaced by `-`; a content-hash version is cut to 12 hex digits.
 */
export function upgradeBranch(version: string): string {
  const hash = /^sha256:([0-9a-f]{12})[0-9a-f]*$/i.exec(version);
  const name = hash
    ? `sha256-${hash[1].toLowerCase()}`
    : version.replace(/[^A-Za-z0-9._-]/g, '-').replace(/\.\.+/g, '.');
  return validateRef(`paved-road/upgrade-${name}`, 'toVersion');
}

/**
 * Upgrades one project: renders the job's template version with the
 * project's answers, commits the render onto the template branch, merges
 * that into a new branch off the default branch with git's three-way merge
 * and offers it where the team works. Each step recognises its own work
 * from an interrupted run, so running a job again is safe.
 */
export class UpgradeRunner {
  constructor(
    private readonly deps: {
      renderer: TemplateRenderer;
      hosts: ProjectLocator;
      logger: LoggerService;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async run(
    job: UpgradeJob,
    options: {
      /** Answers given with the upgrade request (JSON, never secrets). */
      answers?: Record<string, unknown>;
      author: GitAuthor;
      heartbeat: () => Promise<void>;
    },
  ): Promise<{ outcome: UpgradeOutcome; result: UpgradeResult }> {
    const { catalog, auth, hosts } = this.deps;
    const logger = this.deps.logger.child({ upgradeJob: job.id });
    const entity = await catalog.getEntityByRef(job.entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new NotFoundError(`${job.entityRef} is not in the catalog`);
    }
    const repo = await (await hosts.locate(entity)).open();
    try {
      return await this.upgrade(job, repo, options, logger);
    } finally {
      await repo.dispose();
    }
  }

  private async upgrade(
    job: UpgradeJob,
    repo: ProjectRepository,
    options: {
      /** Answers given with the upgrade request (JSON, never secrets). */
      answers?: Record<string, unknown>;
      author: GitAuthor;
      heartbeat: () => Promise<void>;
    },
    logger: LoggerService,
  ): Promise<{ outcome: UpgradeOutcome; result: UpgradeResult }> {
    const { gitDir, defaultBranch } = repo;
    const head = await resolveRef(gitDir, TEMPLATE_BRANCH);
    if (!head) {
      throw new InputError(
        `${job.entityRef} has no ${TEMPLATE_BRANCH} branch: it was created before projects kept their template render, and cannot be upgraded`,
      );
    }
    // The default branch's copy first: the team may correct its answers.
    const answersText =
      (await readBlob(gitDir, defaultBranch, ANSWERS_FILE)) ??
      (await readBlob(gitDir, head, ANSWERS_FILE));
    if (!answersText) {
      throw new InputError(
        `${job.entityRef} has no ${ANSWERS_FILE} to render the template with`,
      );
    }
    const stored = parseAnswersFile(answersText.toString('utf8'));

    const tree = await listTree(gitDir, head);
    const symlinks = new Map<string, string>();
    for (const entry of tree.filter(e => e.mode === '120000')) {
      const target = await readBlob(gitDir, head, entry.path);
      if (target) symlinks.set(entry.path, target.toString('utf8'));
    }
    await options.heartbeat();
    const render = await this.deps.renderer.render({
      templateRef: job.templateRef,
      answers: stored.answers,
      overrides: options.answers as JsonObject | undefined,
      head: {
        executable: tree.filter(e => e.mode === '100755').map(e => e.path),
        symlinks,
      },
    });
    try {
      await options.heartbeat();
      if (render.template.version !== job.toVersion) {
        throw new ConflictError(
          `${job.templateRef} is now version ${render.template.version}, not ${job.toVersion}: request the upgrade again`,
        );
      }
      // The render's own record of its version, which the next upgrade reads.
      const rendered = parseAnswersFile(
        await fs.readFile(join(render.dir, ANSWERS_FILE), 'utf8').catch(() => {
          throw new InputError(
            `${job.templateRef} ${job.toVersion} rendered no ${ANSWERS_FILE}: its paved-road:catalog-info:annotate step needs parameters: \${{ parameters }}`,
          );
        }),
      );
      if (rendered.version !== job.toVersion) {
        throw new ConflictError(
          `The render of ${job.templateRef} records version ${rendered.version} in ${ANSWERS_FILE}, not ${job.toVersion}`,
        );
      }

      const committed = await commitDirectory(gitDir, {
        branch: TEMPLATE_BRANCH,
        sourceDir: render.dir,
        author: options.author,
        message: `Template ${job.templateRef} ${job.toVersion}\n\n${UPGRADE_TRAILER}: ${job.id}`,
        expectedHead: head,
      });
      const templateCommit = committed.commitHash;
      if (!committed.changed && !(await committedBy(gitDir, head, job.id))) {
        logger.info(`${job.entityRef}: the template renders no change`);
        return {
          outcome: 'no-change',
          result: {
            branch: defaultBranch,
            templateCommit,
            commit: (await resolveRef(gitDir, defaultBranch)) ?? templateCommit,
            cloneUrl: repo.cloneUrl,
            conflicts: [],
            changedFiles: [],
          },
        };
      }
      await options.heartbeat();

      const branch = upgradeBranch(job.toVersion);
      const merge = await mergeIntoNewBranch(gitDir, {
        base: defaultBranch,
        from: TEMPLATE_BRANCH,
        branch,
        author: options.author,
        message: `Upgrade to ${job.templateRef} ${job.toVersion}\n\nMerges ${TEMPLATE_BRANCH} (the template's render) into ${defaultBranch}.\n\n${UPGRADE_TRAILER}: ${job.id}`,
      });
      await repo.publish([
        {
          ref: `refs/heads/${TEMPLATE_BRANCH}`,
          commit: templateCommit,
          expectedOld: head,
        },
        {
          ref: `refs/heads/${branch}`,
          commit: merge.commitHash,
          expectedOld: merge.created ? null : merge.commitHash,
        },
      ]);
      await options.heartbeat();

      let pullRequestUrl: string | undefined;
      if (repo.openOrUpdatePullRequest) {
        pullRequestUrl = await repo.openOrUpdatePullRequest({
          branch,
          title: pullRequestTitle(job, merge.conflicts),
          body: pullRequestBody({
            job,
            branch,
            conflicts: merge.conflicts,
            changelog: changelogBetween(
              render.template.changelog ?? '',
              job.fromVersion,
              job.toVersion,
            ),
          }),
        });
      }
      logger.info(
        `${job.entityRef}: ${branch} at ${merge.commitHash}, ${merge.conflicts.length} conflicts`,
      );
      return {
        outcome: merge.conflicts.length > 0 ? 'conflicts' : 'clean',
        result: {
          branch,
          templateCommit,
          commit: merge.commitHash,
          cloneUrl: repo.cloneUrl,
          pullRequestUrl,
          compareUrl: repo.compareUrl(branch),
          conflicts: merge.conflicts,
          changedFiles: merge.changedFiles,
        },
      };
    } finally {
      await render.dispose();
    }
  }
}

/** Whether `commit` is the render a run of this job committed. */
async function committedBy(
  gitDir: string,
  commit: string,
  jobId: string,
): Promise<boolean> {
  const message = await commitMessage(gitDir, commit);
  return message
    .split('\n')
    .some(line => line.trim() === `${UPGRADE_TRAILER}: ${jobId}`);
}
