import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  deploymentSettingsUpdatePermission,
  projectDeactivatePermission,
  type DeploymentSettingsVersion,
  type ProjectState,
  type UpdateDeploymentSettingsRequest,
  type UpdateDeploymentSettingsResponse,
} from '@paved-road/plugin-deployments-common';
import type { AuditAction } from '@paved-road/plugin-paved-road-common';
import { isDeepStrictEqual } from 'node:util';
import { DeploymentsStore } from '../database/DeploymentsStore';
import {
  ProjectLocation,
  RepositoryLocator,
} from '../repository/RepositoryLocator';
import {
  editCatalogInfo,
  editDescriptor,
  parseDescriptor,
} from '../repository/settingsFile';
import { AuditQueue, auditEvent, describeChange } from './audit';
import { Identities, withActorTrailer } from './identity';
import { SettingsSync } from './SettingsSync';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

function projectState(
  entityRef: string,
  stored: ProjectState | undefined,
  repoUrl: string | null,
): ProjectState {
  return {
    entityRef,
    repoUrl: stored?.repoUrl ?? repoUrl,
    deactivated: stored?.deactivated ?? false,
    deactivatedBy: stored?.deactivatedBy ?? null,
    deactivatedAt: stored?.deactivatedAt ?? null,
    settingsError: stored?.settingsError ?? null,
  };
}

/**
 * The write paths of deployment settings and project state. Each write:
 * reads the entity as the caller, asks the permission policy about that
 * entity, commits to the project's repository, then stores the result with
 * its audit event in one transaction. A refused or failed attempt is audited
 * too.
 */
export class SettingsService {
  constructor(
    private readonly options: {
      store: DeploymentsStore;
      locator: RepositoryLocator;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      identities: Identities;
      audit: AuditQueue;
      sync: SettingsSync;
      logger: LoggerService;
    },
  ) {}

  /** The latest version; on a miss the repository is read first. */
  async getLatest(entityRef: string): Promise<DeploymentSettingsVersion> {
    const { store, sync, logger } = this.options;
    let latest = await store.getLatestSettings(entityRef);
    if (!latest) {
      // A project created a moment ago: its entity exists, the scheduled
      // sync has not come round yet.
      await sync.syncEntityRef(entityRef).catch(error => {
        logger.warn(`Reading the settings of ${entityRef} failed: ${error}`);
      });
      latest = await store.getLatestSettings(entityRef);
    }
    if (!latest) {
      throw new NotFoundError(`No deployment settings for ${entityRef}`);
    }
    return latest;
  }

  async getProject(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<ProjectState> {
    const { store, sync } = this.options;
    let stored = await store.getProject(entityRef);
    if (!stored) {
      await sync.syncEntityRef(entityRef).catch(() => false);
      stored = await store.getProject(entityRef);
    }
    if (!stored) {
      // Not a project with a repository: known to the catalog or not at all.
      await this.getEntity(entityRef, credentials);
    }
    return projectState(entityRef, stored, null);
  }

  async updateSettings(
    entityRef: string,
    request: UpdateDeploymentSettingsRequest,
    credentials: UserCredentials,
  ): Promise<UpdateDeploymentSettingsResponse> {
    const { store } = this.options;
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    await this.authorize(
      deploymentSettingsUpdatePermission,
      'settings.changed',
      entityRef,
      entity,
      credentials,
    );

    return this.audited(
      'settings.changed',
      entityRef,
      entity,
      actor,
      async () => {
        const project = await store.getProject(entityRef);
        if (project?.deactivated) {
          throw new ConflictError(
            `${entityRef} is deactivated; reactivate it to change its settings`,
          );
        }
        const latest = await this.getLatest(entityRef).catch(() => undefined);
        if (!latest) {
          throw new ConflictError(`${entityRef} has no settings to change yet`);
        }
        if (request.baseVersion !== latest.version) {
          throw new ConflictError(
            `baseVersion ${request.baseVersion} is not the latest version of ${entityRef} (${latest.version}); reload and apply your change again`,
          );
        }
        if (isDeepStrictEqual(request.settings, latest.settings)) {
          throw new InputError(
            `settings: no change from version ${latest.version}`,
          );
        }
        const location = await this.locate(entity, entityRef);
        const result = await location.repository.updateFile({
          path: location.descriptorPath,
          author: await this.options.identities.commitAuthor(
            actor,
            credentials,
          ),
          message: withActorTrailer(request.message, actor),
          edit: current => {
            const parsed = parseDescriptor(current);
            // Someone changed the file since the stored version: apply
            // nothing until the sync has stored theirs.
            if (
              'error' in parsed ||
              !isDeepStrictEqual(parsed.settings, latest.settings)
            ) {
              throw new ConflictError(
                `${location.descriptorPath} in the repository differs from version ${latest.version}; reload and apply your change again`,
              );
            }
            return editDescriptor(current, request.settings);
          },
        });

        const details = {
          before: latest.settings,
          after: request.settings,
          message: request.message,
          baseVersion: latest.version,
        };
        const summary = `${describeChange(
          latest.settings,
          request.settings,
        )}: ${request.message}`;

        if (result.mode === 'pull-request') {
          await store.transaction(trx =>
            this.options.audit.enqueue(
              trx,
              auditEvent({
                action: 'settings.changed',
                outcome: 'succeeded',
                actor,
                entityRef,
                entity,
                summary: `Proposed ${summary}`,
                details: { ...details, pullRequestUrl: result.pullRequestUrl },
              }),
            ),
          );
          return {
            mode: 'pull-request' as const,
            pullRequestUrl: result.pullRequestUrl,
            baseVersion: latest.version,
          };
        }
        if (result.mode === 'unchanged') {
          throw new InputError(
            `settings: no change from version ${latest.version}`,
          );
        }

        const version: DeploymentSettingsVersion = {
          entityRef,
          version: latest.version + 1,
          settings: request.settings,
          createdBy: actor,
          createdAt: new Date().toISOString(),
          source: 'portal',
          commitSha: result.commit.sha,
          commitUrl: result.commit.url,
          message: request.message,
        };
        try {
          await store.appendSettingsVersion(version, trx =>
            this.options.audit.enqueue(
              trx,
              auditEvent({
                action: 'settings.changed',
                outcome: 'succeeded',
                actor,
                entityRef,
                entity,
                summary,
                details: {
                  ...details,
                  commitSha: result.commit.sha,
                  version: version.version,
                },
              }),
            ),
          );
        } catch (error) {
          // The sync may have stored this very commit first (it reads the
          // actor from the commit's trailer): then it is ours.
          const stored = await store.getSettingsVersionByCommit(
            entityRef,
            result.commit.sha,
          );
          if (stored) {
            return { mode: 'commit' as const, version: stored };
          }
          throw error;
        }
        return { mode: 'commit' as const, version };
      },
    );
  }

  /** Deactivates (true) or reactivates (false); idempotent. */
  async setDeactivated(
    entityRef: string,
    deactivate: boolean,
    credentials: UserCredentials,
  ): Promise<ProjectState> {
    const { store, catalog } = this.options;
    const action = deactivate ? 'project.deactivated' : 'project.reactivated';
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    await this.authorize(
      projectDeactivatePermission,
      action,
      entityRef,
      entity,
      credentials,
    );

    return this.audited(action, entityRef, entity, actor, async () => {
      const stored = await store.getProject(entityRef);
      if (Boolean(stored?.deactivated) === deactivate) {
        return projectState(entityRef, stored, null);
      }
      const location = await this.locate(entity, entityRef);
      const { repository } = location;
      const deactivation = deactivate
        ? { by: actor, at: new Date().toISOString() }
        : null;
      const author = await this.options.identities.commitAuthor(
        actor,
        credentials,
      );

      // An archived GitHub repository refuses commits: unarchive before
      // writing, archive after.
      if (!deactivate) {
        await repository.setArchived(false);
      }
      const result = await repository.updateFile({
        path: location.catalogInfoPath,
        mode: 'commit',
        author,
        message: withActorTrailer(
          deactivate
            ? `Deactivate ${entity.metadata.name}`
            : `Reactivate ${entity.metadata.name}`,
          actor,
        ),
        edit: current => {
          try {
            return editCatalogInfo(
              current,
              { kind: entity.kind, name: entity.metadata.name },
              deactivation,
            );
          } catch (error) {
            throw new ConflictError(
              `${location.catalogInfoPath}: ${(error as Error).message}`,
            );
          }
        },
      });
      if (deactivate) {
        await repository.setArchived(true);
      }
      const commitSha = result.mode === 'commit' ? result.commit.sha : null;

      await store.upsertProject(entityRef, repository.url);
      await store.setDeactivated(entityRef, deactivation, trx =>
        this.options.audit.enqueue(
          trx,
          auditEvent({
            action,
            outcome: 'succeeded',
            actor,
            entityRef,
            entity,
            summary: `${deactivate ? 'Deactivated' : 'Reactivated'} ${
              entity.metadata.name
            }`,
            details: { commitSha, repoUrl: repository.url },
          }),
        ),
      );
      // The catalog shows the new lifecycle on its next read of the file;
      // ask for it now rather than at the next processing interval.
      await catalog
        .refreshEntity(entityRef, {
          credentials: await this.options.auth.getOwnServiceCredentials(),
        })
        .catch(error =>
          this.options.logger.warn(`Refreshing ${entityRef} failed: ${error}`),
        );
      return projectState(
        entityRef,
        await store.getProject(entityRef),
        repository.url,
      );
    });
  }

  private async getEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`${entityRef} not found in the catalog`);
    }
    return entity;
  }

  private async locate(
    entity: Entity,
    entityRef: string,
  ): Promise<ProjectLocation> {
    const location = await this.options.locator.locate(entity);
    if (!location) {
      throw new ConflictError(
        `${entityRef} has no repository the portal can write to`,
      );
    }
    return location;
  }

  /** Throws NotAllowedError (and audits the denial) unless allowed. */
  private async authorize(
    permission: ResourcePermission<'catalog-entity'>,
    action: AuditAction,
    entityRef: string,
    entity: Entity,
    credentials: UserCredentials,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return;
    }
    await this.options.store.transaction(trx =>
      this.options.audit.enqueue(
        trx,
        auditEvent({
          action,
          outcome: 'denied',
          actor: credentials.principal.userEntityRef,
          entityRef,
          entity,
          summary: `Denied ${permission.name}`,
          details: { permission: permission.name },
        }),
      ),
    );
    throw new NotAllowedError(`Not allowed: ${permission.name}`);
  }

  /** Runs an allowed write; a failure is audited before it is rethrown. */
  private async audited<T>(
    action: AuditAction,
    entityRef: string,
    entity: Entity,
    actor: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      await this.options.store
        .transaction(trx =>
          this.options.audit.enqueue(
            trx,
            auditEvent({
              action,
              outcome: 'failed',
              actor,
              entityRef,
              entity,
              summary: `${action} failed: ${publicReason(error)}`,
              details: { error: (error as Error).name },
            }),
          ),
        )
        .catch(auditError =>
          this.options.logger.error(
            `Could not audit the failed ${action} of ${entityRef}: ${auditError}`,
          ),
        );
      throw error;
    }
  }
}

// Errors whose message is written for the caller (and sent back as 400, 403,
// 404 or 409). Anything else can carry git's stderr or file paths: everyone
// may read the audit trail, so it names no more than the 500 response does.
const PUBLIC_ERRORS = [
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
];

function publicReason(error: unknown): string {
  return error instanceof Error && PUBLIC_ERRORS.includes(error.name)
    ? error.message
    : 'unexpected error (see the backend log)';
}
