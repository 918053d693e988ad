import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DeploymentSettingsSource,
  DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import { TASK_TRAILER } from '@paved-road/plugin-local-git-node';
import { ANNOTATION_DEPLOYMENT_DESCRIPTOR } from '@paved-road/plugin-paved-road-common';
import { isDeepStrictEqual } from 'node:util';
import { DeploymentsStore } from '../database/DeploymentsStore';
import { RepositoryLocator } from '../repository/RepositoryLocator';
import {
  CommitInfo,
  RepositoryFile,
  SettingsRepository,
} from '../repository/SettingsRepository';
import { parseDescriptor } from '../repository/settingsFile';
import { AuditQueue, auditEvent, describeChange } from './audit';
import {
  actorFromMessage,
  Identities,
  messageWithoutTrailers,
} from './identity';

/** How far back the first sync of a project reads its descriptor's history. */
export const HISTORY_LIMIT = 50;

/**
 * Makes the repository the source of truth: for every project whose entity
 * carries `paved-road.io/deployment`, it reads the descriptor at the head of
 * the default branch and, when that commit is not a stored version yet,
 * stores it as the next one. The first sync of a project without versions
 * stores every commit of the descriptor's history instead (the last
 * {@link HISTORY_LIMIT}, oldest first), the first being its template
 * version; later ones come from pushes and merged pull requests, or repair a
 * portal write whose commit landed but whose version was not stored. An
 * invalid descriptor is recorded on the project and logged, never skipped
 * silently.
 */
export class SettingsSync {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly options: {
      store: DeploymentsStore;
      locator: RepositoryLocator;
      catalog: CatalogService;
      auth: AuthService;
      identities: Identities;
      audit: AuditQueue;
      logger: LoggerService;
    },
  ) {}

  /** One pass over every project the catalog knows. */
  async syncAll(): Promise<void> {
    const { catalog, auth, logger } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_DEPLOYMENT_DESCRIPTOR}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials },
    );
    for (const entity of items) {
      await this.syncEntity(entity).catch(error =>
        logger.warn(
          `Deployment settings sync of ${stringifyEntityRef(
            entity,
          )} failed: ${error}`,
        ),
      );
    }
  }

  /** Syncs one entity by ref; false when the catalog does not have it. */
  async syncEntityRef(entityRef: string): Promise<boolean> {
    const { catalog, auth } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      return false;
    }
    await this.syncEntity(entity);
    return true;
  }

  /** Syncs one entity; concurrent calls for the same one share the work. */
  syncEntity(entity: Entity): Promise<void> {
    const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    const running = this.running.get(entityRef);
    if (running) {
      return running;
    }
    const work = this.doSync(entityRef, entity).finally(() =>
      this.running.delete(entityRef),
    );
    this.running.set(entityRef, work);
    return work;
  }

  private async doSync(entityRef: string, entity: Entity): Promise<void> {
    const { store, locator, logger } = this.options;
    const location = await locator.locate(entity);
    if (!location) {
      return;
    }
    const { repository, descriptorPath } = location;
    await store.upsertProject(entityRef, repository.url);

    const file = await repository.readFile(descriptorPath);
    if (!file) {
      const message = `${descriptorPath} not found on the default branch of ${repository.url}`;
      await this.reportError(entityRef, null, message);
      return;
    }
    const project = await store.getProject(entityRef);
    if (
      project?.syncedCommitSha === file.commit.sha &&
      !project.settingsError
    ) {
      return;
    }

    const latest = await store.getLatestSettings(entityRef);
    if (!latest) {
      // The whole history was read for this head already and held no valid
      // descriptor: its error stands until a new commit.
      if (
        project?.syncedCommitSha === file.commit.sha &&
        project.settingsError
      ) {
        return;
      }
      await this.storeHistory(entity, entityRef, repository, descriptorPath);
      return;
    }

    const parsed = parseDescriptor(file.content);
    if ('error' in parsed) {
      await this.reportError(
        entityRef,
        file.commit.sha,
        describeError(descriptorPath, file, parsed.error),
      );
      return;
    }

    const known =
      latest.commitSha === file.commit.sha ||
      (await store.getSettingsVersionByCommit(entityRef, file.commit.sha));
    if (!known && !isDeepStrictEqual(latest.settings, parsed.settings)) {
      await this.storeVersion(entity, entityRef, latest, {
        settings: parsed.settings,
        commit: file.commit,
      });
    }
    await store.setSyncResult(entityRef, {
      syncedCommitSha: file.commit.sha,
      settingsError: null,
    });
    logger.debug(`Deployment settings of ${entityRef} in sync`);
  }

  /**
   * First sight of a project: one version per commit of the descriptor,
   * oldest first. An invalid file in between is skipped; the newest one
   * decides the project's settings error. A commit that leaves the settings
   * as they were (a comment changed) adds no version, as on later syncs.
   */
  private async storeHistory(
    entity: Entity,
    entityRef: string,
    repository: SettingsRepository,
    descriptorPath: string,
  ) {
    const { store, logger } = this.options;
    const history = await repository.readFileHistory(descriptorPath, {
      limit: HISTORY_LIMIT,
    });
    const head = history[history.length - 1];
    if (!head) {
      return;
    }
    let latest: DeploymentSettingsVersion | undefined;
    let headError: string | undefined;
    for (const file of history) {
      const parsed = parseDescriptor(file.content);
      if ('error' in parsed) {
        headError = describeError(descriptorPath, file, parsed.error);
        if (file !== head) {
          logger.info(
            `Skipped an invalid deployment descriptor in the history of ${entityRef}: ${headError}`,
          );
        }
        continue;
      }
      headError = undefined;
      if (latest && isDeepStrictEqual(latest.settings, parsed.settings)) {
        continue;
      }
      const stored = await this.storeVersion(
        entity,
        entityRef,
        latest,
        { settings: parsed.settings, commit: file.commit },
        // Older commits happened before the portal saw the project: history,
        // not changes made now. The head follows the rule for new commits.
        { audit: file === head },
      );
      if (!stored) {
        // Another writer stored a version meanwhile: the next pass goes on
        // from there.
        return;
      }
      latest = stored;
    }
    if (headError) {
      await this.reportError(entityRef, head.commit.sha, headError);
      return;
    }
    await store.setSyncResult(entityRef, {
      syncedCommitSha: head.commit.sha,
      settingsError: null,
    });
  }

  private async storeVersion(
    entity: Entity,
    entityRef: string,
    latest: DeploymentSettingsVersion | undefined,
    found: {
      settings: DeploymentSettingsVersion['settings'];
      commit: CommitInfo;
    },
    options: { audit: boolean } = { audit: true },
  ): Promise<DeploymentSettingsVersion | undefined> {
    const { store, identities, auth, audit, logger } = this.options;
    const { commit, settings } = found;
    const trailerActor = actorFromMessage(commit.message);
    let source: DeploymentSettingsSource;
    if (trailerActor) {
      source = 'portal';
    } else if (
      !latest &&
      (commit.isRoot || commit.message.includes(`${TASK_TRAILER}:`))
    ) {
      source = 'template';
    } else {
      source = 'repository';
    }
    const createdBy =
      trailerActor ??
      (await identities.userOfCommitAuthor(
        commit.author,
        await auth.getOwnServiceCredentials(),
      ));
    const message = messageWithoutTrailers(commit.message) || null;
    const version: DeploymentSettingsVersion = {
      entityRef,
      version: (latest?.version ?? 0) + 1,
      settings,
      createdBy,
      createdAt: commit.date,
      source,
      commitSha: commit.sha,
      commitUrl: commit.url,
      message,
    };
    try {
      // The template's version is audited as project.created by the
      // scaffolder; the others are changes nobody else records.
      await store.appendSettingsVersion(version, async trx => {
        if (source === 'template' || !options.audit) {
          return;
        }
        await audit.enqueue(
          trx,
          auditEvent({
            action: 'settings.changed',
            outcome: 'succeeded',
            actor: createdBy,
            entityRef,
            entity,
            summary: `${describeChange(latest?.settings, settings)}${
              message ? `: ${message}` : ''
            }${
              source === 'repository' ? ' (committed in the repository)' : ''
            }`,
            details: {
              before: latest?.settings ?? null,
              after: settings,
              commitSha: commit.sha,
              message,
              source,
              version: version.version,
            },
          }),
        );
      });
      logger.info(
        `Stored deployment settings version ${
          version.version
        } of ${entityRef} from commit ${commit.sha.slice(0, 12)} (${source})`,
      );
      return version;
    } catch (error) {
      // A portal write or another replica stored this version first; the
      // next pass compares again.
      if (!(error instanceof ConflictError)) {
        throw error;
      }
      return undefined;
    }
  }

  private async reportError(
    entityRef: string,
    commitSha: string | null,
    message: string,
  ) {
    const { store, logger } = this.options;
    const project = await store.getProject(entityRef);
    if (
      project?.settingsError?.message !== message ||
      project?.syncedCommitSha !== commitSha
    ) {
      logger.warn(`Invalid deployment settings of ${entityRef}: ${message}`);
    }
    await store.setSyncResult(entityRef, {
      syncedCommitSha: commitSha,
      settingsError: { message, commitSha },
    });
  }
}

/** `deploy/paved-road.yaml at 1a2b3c4d5e6f: spec.replicas: …` */
function describeError(
  descriptorPath: string,
  file: RepositoryFile,
  error: string,
): string {
  return `${descriptorPath} at ${file.commit.sha.slice(0, 12)}: ${error}`;
}
