import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  commitParents,
  diffPatch,
  moveBranch,
  resolveRef,
} from '@paved-road/plugin-local-git-node';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_TEMPLATE_VERSION,
  AuditEventInput,
} from '@paved-road/plugin-paved-road-common';
import {
  ProjectUpgradeInfo,
  TemplateFleet,
  UpgradeBatch,
  UpgradeDiff,
  UpgradeJob,
  UpgradeRequest,
  templateProjectUpgradePermission,
} from '@paved-road/plugin-templates-common';
import {
  changelogBetween,
  secretFieldPaths,
} from '@paved-road/plugin-templates-node';
import { randomUUID } from 'node:crypto';
import type {
  NewUpgradeJob,
  StoredUpgradeJob,
  UpgradeStore,
} from '../database/UpgradeStore';
import type { ProjectHosts } from '../hosts/locateProject';
import type { AuditQueue } from '../jobs/UpgradeWorker';
import {
  ANSWERS_FILE,
  parseAnswersFile,
  resolveAnswers,
} from '../templates/answers';
import { gitAuthorOf } from '@paved-road/plugin-paved-road-node';
import { ANNOTATION_SOURCE_TEMPLATE, oneEntityPerProject } from '../projects';
import { compareTemplateVersions } from './versions';

/** A compare view, not a download: the rest is in the branch. */
const MAX_DIFF_BYTES = 1024 * 1024;

/** A template as the catalog has it now. */
export type LatestTemplate = {
  ref: string;
  version: string;
  /** The template's `spec.parameters`. */
  parameters: unknown;
  /** Its CHANGELOG.md, if it has one. */
  changelog?: string;
};

export interface LatestTemplates {
  get(templateRef: string): Promise<LatestTemplate | undefined>;
}

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** The API's view of a job: without the stored answers and author. */
export function publicJob(job: StoredUpgradeJob): UpgradeJob {
  const {
    answers: _answers,
    author: _author,
    attempts: _attempts,
    ...rest
  } = job;
  return rest;
}

/**
 * What the REST API and the actions do with upgrades: tell a project what
 * it could upgrade to, queue upgrades (alone or for a template's fleet)
 * after the permission check, and report jobs. The work itself is the
 * worker's.
 */
export class UpgradeService {
  constructor(
    private readonly options: {
      store: UpgradeStore;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      templates: LatestTemplates;
      hosts: ProjectHosts;
      audit: AuditQueue;
      logger: LoggerService;
      /** Called after a job was queued, so this replica starts it at once. */
      onQueued?: () => void;
    },
  ) {}

  /** The project's entity as the caller may see it, else NotFoundError. */
  private async entity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef}`);
    }
    return entity;
  }

  async getProjectUpgrade(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ProjectUpgradeInfo> {
    const entity = await this.entity(entityRef, credentials);
    const { info } = await this.plan(entity, {});
    return info;
  }

  /**
   * What an upgrade of `entity` would be: versions, changelog and answers,
   * and the values to render with (when it is possible).
   */
  private async plan(
    entity: Entity,
    overrides: JsonObject,
  ): Promise<{ info: ProjectUpgradeInfo; template?: LatestTemplate }> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const templateRef = annotations[ANNOTATION_SOURCE_TEMPLATE];
    const currentVersion = annotations[ANNOTATION_TEMPLATE_VERSION];
    const latestJob = (await this.options.store.latestJobs([entityRef])).get(
      entityRef,
    );
    const info: ProjectUpgradeInfo = {
      entityRef,
      templateRef,
      currentVersion,
      available: false,
      changelog: [],
      newAnswers: {},
      missingAnswers: [],
      ...(latestJob ? { job: publicJob(latestJob) } : {}),
    };
    if (!templateRef) {
      return { info: { ...info, reason: 'not-from-template' } };
    }
    const template = await this.options.templates.get(templateRef);
    if (!template) {
      return { info: { ...info, reason: 'template-not-found' } };
    }
    info.latestVersion = template.version;
    const found = { template };
    // Projects from before versions were recorded have no template branch.
    if (!currentVersion) {
      return { ...found, info: { ...info, reason: 'no-template-branch' } };
    }
    const order = compareTemplateVersions(currentVersion, template.version);
    if (order !== 'newer') {
      return {
        ...found,
        info: { ...info, reason: order === 'same' ? 'up-to-date' : 'ahead' },
      };
    }
    info.changelog = template.changelog
      ? changelogBetween(template.changelog, currentVersion, template.version)
      : [];
    const answersFile = await this.options.hosts
      .locate(entity)
      .readFile(ANSWERS_FILE);
    if (!answersFile) {
      return { ...found, info: { ...info, reason: 'no-answers' } };
    }
    const stored = parseAnswersFile(answersFile.toString('utf8'));
    const resolved = resolveAnswers(
      template.parameters,
      stored.answers,
      overrides,
    );
    return {
      ...found,
      info: {
        ...info,
        available: true,
        newAnswers: resolved.newAnswers,
        missingAnswers: resolved.missingAnswers,
      },
    };
  }

  /** Throws NotAllowedError (and audits the denial) unless allowed. */
  private async authorize(
    entityRef: string,
    toVersion: string,
    credentials: UserCredentials,
    action: 'upgrade.requested' | 'upgrade.merged' = 'upgrade.requested',
  ): Promise<void> {
    const [decision] = await this.options.permissions.authorize(
      [
        {
          permission: templateProjectUpgradePermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return;
    await this.options.store.transaction(trx =>
      this.options.audit.enqueue(
        trx,
        auditEvent({
          action,
          outcome: 'denied',
          actor: credentials.principal.userEntityRef,
          entityRef,
          summary: `Denied ${templateProjectUpgradePermission.name} (to ${toVersion})`,
          details: { toVersion },
        }),
      ),
    );
    throw new NotAllowedError(
      `Not allowed: ${templateProjectUpgradePermission.name}`,
    );
  }

  /**
   * Queues an upgrade of one project to its template's latest version.
   * Returns the existing job when the same upgrade was asked for before.
   */
  async requestUpgrade(
    entityRef: string,
    request: UpgradeRequest,
    credentials: UserCredentials,
  ): Promise<{ job: UpgradeJob; created: boolean }> {
    const entity = await this.entity(entityRef, credentials);
    const ref = stringifyEntityRef(entity);
    await this.authorize(ref, request.toVersion, credentials);
    const overrides = (request.answers ?? {}) as JsonObject;
    const { info, template } = await this.plan(entity, overrides);
    this.assertUpgradable(info, request.toVersion);
    checkOverrides(overrides, template!);
    const stillMissing = info.missingAnswers;
    if (stillMissing.length > 0) {
      throw new InputError(
        `answers.${stillMissing[0].name}: ${info.templateRef} ${
          info.latestVersion
        } asks ${stillMissing
          .map(m => `${m.name}${m.title ? ` (${m.title})` : ''}`)
          .join(', ')}; give ${
          stillMissing.length === 1 ? 'it' : 'them'
        } in answers`,
      );
    }
    const actor = credentials.principal.userEntityRef;
    const author = await this.author(actor, credentials);
    const { job, created } = await this.options.store.createJob(
      {
        id: randomUUID(),
        entityRef: ref,
        templateRef: info.templateRef!,
        fromVersion: info.currentVersion!,
        toVersion: request.toVersion,
        answers: overrides,
        requestedBy: actor,
        author,
      },
      new Date(),
      trx =>
        this.options.audit.enqueue(
          trx,
          auditEvent({
            action: 'upgrade.requested',
            outcome: 'succeeded',
            actor,
            entityRef: ref,
            summary: `Upgrade from ${info.templateRef} ${info.currentVersion} to ${request.toVersion} requested`,
            details: {
              fromVersion: info.currentVersion,
              toVersion: request.toVersion,
            },
          }),
        ),
    );
    if (created) this.options.onQueued?.();
    return { job: publicJob(job), created };
  }

  private assertUpgradable(info: ProjectUpgradeInfo, toVersion: string) {
    if (info.latestVersion && toVersion !== info.latestVersion) {
      throw new ConflictError(
        `toVersion ${toVersion} is not the latest version of ${info.templateRef} (${info.latestVersion}); reload and try again`,
      );
    }
    if (!info.available) {
      throw new ConflictError(
        `${info.entityRef} cannot be upgraded: ${reasonText(info)}`,
      );
    }
  }

  private async author(actor: string, credentials: BackstageCredentials) {
    const user = await this.options.catalog
      .getEntityByRef(actor, { credentials })
      .catch(error => {
        this.options.logger.warn(`Could not read ${actor}: ${error}`);
        return undefined;
      });
    return gitAuthorOf(actor, user);
  }

  /** A job, if the caller may see its project. */
  async getJob(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<UpgradeJob> {
    const job = await this.options.store.getJob(id);
    if (!job) throw new NotFoundError(`No upgrade job ${id}`);
    await this.entity(job.entityRef, credentials).catch(() => {
      throw new NotFoundError(`No upgrade job ${id}`);
    });
    return publicJob(job);
  }

  /** Every project the caller can see that was made from the template. */
  async getFleet(
    templateRef: string,
    credentials: BackstageCredentials,
  ): Promise<TemplateFleet> {
    const { latest, projects } = await this.fleetEntities(
      templateRef,
      credentials,
    );
    const jobs = await this.options.store.latestJobs(
      projects.map(e => stringifyEntityRef(e)),
    );
    const counts = new Map<string, number>();
    const rows = projects.map(entity => {
      const entityRef = stringifyEntityRef(entity);
      const version =
        entity.metadata.annotations?.[ANNOTATION_TEMPLATE_VERSION];
      counts.set(
        version ?? 'unknown',
        (counts.get(version ?? 'unknown') ?? 0) + 1,
      );
      const job = jobs.get(entityRef);
      return {
        entityRef,
        title: entity.metadata.title ?? entity.metadata.name,
        owner:
          typeof entity.spec?.owner === 'string'
            ? entity.spec.owner
            : undefined,
        version,
        available:
          !!version &&
          compareTemplateVersions(version, latest.version) === 'newer',
        ...(job ? { job: publicJob(job) } : {}),
      };
    });
    return {
      templateRef: latest.ref,
      latestVersion: latest.version,
      versions: [...counts.entries()]
        .map(([version, count]) => ({ version, count }))
        .sort(
          (a, b) => b.count - a.count || a.version.localeCompare(b.version),
        ),
      projects: rows,
    };
  }

  private async fleetEntities(
    templateRef: string,
    credentials: BackstageCredentials,
  ) {
    const latest = await this.options.templates.get(templateRef);
    if (!latest) throw new NotFoundError(`No template ${templateRef}`);
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_SOURCE_TEMPLATE}`]: latest.ref,
        },
        fields: ['kind', 'metadata', 'spec.owner'],
      },
      { credentials },
    );
    const projects = oneEntityPerProject(items).sort((a, b) =>
      stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
    );
    return { latest, projects };
  }

  /**
   * Queues one upgrade per out-of-date project of the template (or of the
   * ones named). Projects the caller may not upgrade, that are current or
   * that need answers are skipped with the reason; each job reports its own
   * outcome.
   */
  async requestBatch(
    templateRef: string,
    request: { toVersion: string; entityRefs?: string[] },
    credentials: UserCredentials,
  ): Promise<UpgradeBatch> {
    const { latest, projects } = await this.fleetEntities(
      templateRef,
      credentials,
    );
    if (request.toVersion !== latest.version) {
      throw new ConflictError(
        `toVersion ${request.toVersion} is not the latest version of ${latest.ref} (${latest.version}); reload and try again`,
      );
    }
    const byRef = new Map(projects.map(e => [stringifyEntityRef(e), e]));
    const wanted = request.entityRefs ?? [...byRef.keys()];
    const skipped: { entityRef: string; reason: string }[] = [];
    const candidates: Entity[] = [];
    for (const ref of wanted) {
      const entity = byRef.get(ref);
      if (!entity) {
        skipped.push({
          entityRef: ref,
          reason: `not a project of ${latest.ref}`,
        });
      } else {
        candidates.push(entity);
      }
    }
    const decisions = candidates.length
      ? await this.options.permissions.authorize(
          candidates.map(e => ({
            permission: templateProjectUpgradePermission,
            resourceRef: stringifyEntityRef(e),
          })),
          { credentials },
        )
      : [];
    const actor = credentials.principal.userEntityRef;
    const author = await this.author(actor, credentials);
    const jobs: NewUpgradeJob[] = [];
    const denied: string[] = [];
    for (const [i, summary] of candidates.entries()) {
      const entityRef = stringifyEntityRef(summary);
      if (decisions[i].result !== AuthorizeResult.ALLOW) {
        skipped.push({ entityRef, reason: 'not allowed' });
        denied.push(entityRef);
        continue;
      }
      // The fleet query read only some fields; the plan needs the entity.
      const entity = await this.entity(entityRef, credentials);
      const { info } = await this.plan(entity, {});
      if (!info.available) {
        skipped.push({ entityRef, reason: reasonText(info) });
        continue;
      }
      if (info.missingAnswers.length) {
        skipped.push({
          entityRef,
          reason: `needs answers: ${info.missingAnswers
            .map(m => m.name)
            .join(', ')}`,
        });
        continue;
      }
      jobs.push({
        id: randomUUID(),
        entityRef,
        templateRef: latest.ref,
        fromVersion: info.currentVersion!,
        toVersion: latest.version,
        answers: {},
        requestedBy: actor,
        author,
      });
    }
    const batchId = randomUUID();
    const batch = await this.options.store.createBatch(
      {
        id: batchId,
        templateRef: latest.ref,
        toVersion: latest.version,
        requestedBy: actor,
        skipped,
      },
      jobs,
      new Date(),
      async trx => {
        for (const job of jobs) {
          await this.options.audit.enqueue(
            trx,
            auditEvent({
              action: 'upgrade.requested',
              outcome: 'succeeded',
              actor,
              entityRef: job.entityRef,
              summary: `Upgrade from ${latest.ref} ${job.fromVersion} to ${job.toVersion} requested (batch)`,
              details: {
                fromVersion: job.fromVersion,
                toVersion: job.toVersion,
                batchId,
              },
            }),
          );
        }
        for (const entityRef of denied) {
          await this.options.audit.enqueue(
            trx,
            auditEvent({
              action: 'upgrade.requested',
              outcome: 'denied',
              actor,
              entityRef,
              summary: `Denied ${templateProjectUpgradePermission.name} (to ${latest.version}, batch)`,
              details: { toVersion: latest.version, batchId },
            }),
          );
        }
      },
    );
    if (jobs.length) this.options.onQueued?.();
    return batch;
  }

  /**
   * Merges a clean upgrade's branch into the default branch, for hosts
   * without pull requests (local git, which takes no pushes): a
   * fast-forward to the upgrade's merge commit, so only while the default
   * branch is still where the upgrade started from.
   */
  async mergeUpgrade(
    id: string,
    credentials: UserCredentials,
  ): Promise<UpgradeJob> {
    const job = await this.options.store.getJob(id);
    if (!job) throw new NotFoundError(`No upgrade job ${id}`);
    const entity = await this.entity(job.entityRef, credentials).catch(() => {
      throw new NotFoundError(`No upgrade job ${id}`);
    });
    await this.authorize(
      job.entityRef,
      job.toVersion,
      credentials,
      'upgrade.merged',
    );
    if (job.mergedAt) return publicJob(job);
    if (job.status !== 'succeeded' || job.outcome !== 'clean' || !job.result) {
      throw new ConflictError(
        job.outcome === 'conflicts'
          ? `Upgrade ${id} has conflicts: resolve them in a clone of ${job.result?.branch} and merge it there`
          : `Upgrade ${id} is ${job.status}${
              job.outcome ? ` (${job.outcome})` : ''
            }: only a clean upgrade can be merged from the portal`,
      );
    }
    const { commit } = job.result;
    const repo = await this.options.hosts.locate(entity).open();
    try {
      if (repo.openOrUpdatePullRequest) {
        throw new ConflictError(
          `Merge the pull request of ${job.result.branch}${
            job.result.pullRequestUrl ? ` (${job.result.pullRequestUrl})` : ''
          }`,
        );
      }
      const head = await resolveRef(repo.gitDir, repo.defaultBranch);
      const [base] = await commitParents(repo.gitDir, commit);
      if (head !== commit) {
        if (head !== base) {
          throw new ConflictError(
            `${repo.defaultBranch} has moved since the upgrade was made: merge ${job.result.branch} in a clone instead`,
          );
        }
        await moveBranch(repo.gitDir, repo.defaultBranch, commit, base);
        await repo.publish([
          { ref: repo.defaultBranch, commit, expectedOld: base ?? null },
        ]);
      }
    } finally {
      await repo.dispose();
    }
    const actor = credentials.principal.userEntityRef;
    await this.options.store.markMerged(id, actor, new Date(), trx =>
      this.options.audit.enqueue(
        trx,
        auditEvent({
          action: 'upgrade.merged',
          outcome: 'succeeded',
          actor,
          entityRef: job.entityRef,
          summary: `Merged ${job.result!.branch} (${job.templateRef} ${
            job.toVersion
          }) into the default branch`,
          details: { jobId: id, toVersion: job.toVersion, commit },
        }),
      ),
    );
    // The catalog sees the new template version without waiting for its
    // next pass over the repository.
    await this.options.catalog
      .refreshEntity(job.entityRef, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      })
      .catch(error =>
        this.options.logger.warn(
          `Could not refresh ${job.entityRef}: ${error}`,
        ),
      );
    return publicJob((await this.options.store.getJob(id))!);
  }

  /**
   * The patch an upgrade brings: from the commit of the default branch it
   * was merged onto to its merge commit, conflict markers included. The
   * compare view of hosts without one (local git); capped at 1 MB.
   */
  async getUpgradeDiff(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<UpgradeDiff> {
    const job = await this.options.store.getJob(id);
    if (!job) throw new NotFoundError(`No upgrade job ${id}`);
    const entity = await this.entity(job.entityRef, credentials).catch(() => {
      throw new NotFoundError(`No upgrade job ${id}`);
    });
    if (!job.result || job.outcome === 'no-change') {
      throw new NotFoundError(`Upgrade ${id} made no branch to compare`);
    }
    const { commit } = job.result;
    const repo = await this.options.hosts.locate(entity).open();
    try {
      const [base] = await commitParents(repo.gitDir, commit);
      const { patch, truncated } = await diffPatch(repo.gitDir, base, commit, {
        maxBytes: MAX_DIFF_BYTES,
      });
      return { base, head: commit, patch, truncated };
    } finally {
      await repo.dispose();
    }
  }

  async getBatch(id: string): Promise<UpgradeBatch> {
    const batch = await this.options.store.getBatch(id);
    if (!batch) throw new NotFoundError(`No upgrade batch ${id}`);
    return batch;
  }
}

/**
 * Answers a request gives must be questions the template asks (on any
 * page), and never secrets: those are not stored and an upgrade has none.
 */
function checkOverrides(overrides: JsonObject, template: LatestTemplate) {
  const pages = Array.isArray(template.parameters)
    ? template.parameters
    : [template.parameters];
  const questions = new Set(
    pages.flatMap(page =>
      page && typeof page === 'object' && 'properties' in page
        ? Object.keys((page as { properties?: object }).properties ?? {})
        : [],
    ),
  );
  const secrets = new Set(
    secretFieldPaths(template.parameters).map(path => path[0]),
  );
  for (const key of Object.keys(overrides)) {
    if (!questions.has(key)) {
      throw new InputError(
        `answers.${key}: ${template.ref} ${template.version} asks no such question`,
      );
    }
    if (secrets.has(key)) {
      throw new InputError(
        `answers.${key}: a secret; upgrades neither store nor take secrets`,
      );
    }
  }
}

function reasonText(info: ProjectUpgradeInfo): string {
  switch (info.reason) {
    case 'up-to-date':
      return `it is on ${info.latestVersion}, the latest version`;
    case 'ahead':
      return `it is on ${info.currentVersion}, newer than the template's ${info.latestVersion}`;
    case 'no-template-branch':
      return 'it records no template version (created before versions were recorded)';
    case 'no-answers':
      return 'its repository has no .paved-road/answers.yaml';
    case 'template-not-found':
      return `its template ${info.templateRef} is not in the catalog`;
    case 'not-from-template':
      return 'it was not created from a template';
    default:
      return 'not upgradable';
  }
}

function auditEvent(options: {
  action: 'upgrade.requested' | 'upgrade.merged';
  outcome: 'succeeded' | 'denied';
  actor: string;
  entityRef: string;
  summary: string;
  details: Record<string, unknown>;
}): AuditEventInput {
  return {
    id: randomUUID(),
    action: options.action,
    outcome: options.outcome,
    actor: options.actor,
    occurredAt: new Date().toISOString(),
    entityRef: options.entityRef,
    summary: options.summary.slice(0, 1000),
    details: options.details,
  };
}
