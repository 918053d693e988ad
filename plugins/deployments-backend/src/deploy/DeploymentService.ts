import {
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
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  deploymentCreatePermission,
  type DeploymentDetails,
  type DeploymentEventsResponse,
  type DeploymentRuntime,
  type DoraMetrics,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';
import type { AuditAction } from '@paved-road/plugin-paved-road-common';
import { randomUUID } from 'node:crypto';
import type {
  DeploymentRunsStore,
  NewDeploymentRun,
  StoredRun,
} from '../database/DeploymentRunsStore';
import type { DeploymentsStore } from '../database/DeploymentsStore';
import type { RepositoryLocator } from '../repository/RepositoryLocator';
import { parseDescriptor } from '../repository/settingsFile';
import type { AuditQueue } from '../service/audit';
import type { SettingsSync } from '../service/SettingsSync';
import {
  AuditedRun,
  deploymentAuditEvent,
  entityAuditEvent,
} from './deploymentAudit';
import { DeploymentNotifier } from './DeploymentNotifier';
import { PROVIDER_CONFIG_KEY } from './DeploymentProviders';
import type { DeploymentRunner } from './DeploymentRunner';
import { computeDora } from './dora';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** How far back a rollback looks for the version before the current one. */
const ROLLBACK_HISTORY = 100;

const shortSha = (sha: string | null) => sha?.slice(0, 7) ?? 'unknown';

// Errors whose message is written for the caller (400, 403, 404, 409, 503);
// anything else may carry git's stderr or paths and stays in the log.
const PUBLIC_ERRORS = [
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'ServiceUnavailableError',
];

function publicReason(error: unknown): string {
  return error instanceof Error && PUBLIC_ERRORS.includes(error.name)
    ? error.message
    : 'unexpected error (see the backend log)';
}

function toDetails(
  run: StoredRun,
  stages: DeploymentDetails['stages'],
): DeploymentDetails {
  const {
    repository: _repository,
    claimedBy: _claimedBy,
    heartbeatAt: _heartbeatAt,
    ...details
  } = run;
  return { ...details, stages };
}

/**
 * The deployment API's operations. Every write reads the entity as the
 * caller, asks the permission policy (`deployments.deployment.create` on
 * the entity), and is audited: queued in the transaction of the change it
 * records, and also when it is refused or fails.
 */
export class DeploymentService {
  constructor(
    private readonly options: {
      runs: DeploymentRunsStore;
      store: DeploymentsStore;
      locator: RepositoryLocator;
      sync: SettingsSync;
      catalog: CatalogService;
      permissions: PermissionsService;
      audit: AuditQueue;
      notifier: DeploymentNotifier;
      logger: LoggerService;
      /** Undefined while `deployments.provider` is not set. */
      provider: DeploymentProvider | undefined;
      runner: DeploymentRunner | undefined;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private requireProvider(): DeploymentProvider {
    const { provider } = this.options;
    if (!provider) {
      throw new ServiceUnavailableError(
        `No deployment provider is configured: set ${PROVIDER_CONFIG_KEY} (e.g. local) and add the backend module that provides it`,
      );
    }
    return provider;
  }

  /** Queues a deployment of `ref` (default: the head of the default branch). */
  async create(
    entityRef: string,
    request: { ref?: string; environment: string },
    credentials: UserCredentials,
  ): Promise<DeploymentDetails> {
    this.requireProvider();
    const { runs, locator } = this.options;
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    const action = 'deployment.started';
    await this.authorize(action, entityRef, entity, credentials);

    return this.audited(action, entityRef, entity, actor, async () => {
      await this.assertActive(entityRef);
      const location = await locator.locate(entity);
      if (!location) {
        throw new ConflictError(
          `${entityRef} has no repository the portal can deploy from`,
        );
      }
      const { repository, descriptorPath } = location;
      const resolved = await repository.resolveRef(request.ref);
      if (!resolved) {
        throw new InputError(
          request.ref === undefined
            ? `ref: the default branch of ${repository.url} has no commit`
            : `ref: no branch, tag or commit named ${request.ref} in ${repository.url}`,
        );
      }
      const file = await repository.readFileAt(descriptorPath, resolved.sha);
      if (!file) {
        throw new InputError(
          `ref: ${descriptorPath} does not exist at ${shortSha(resolved.sha)}`,
        );
      }
      const parsed = parseDescriptor(file.content);
      if ('error' in parsed) {
        throw new InputError(
          `ref: ${descriptorPath} at ${shortSha(resolved.sha)} is not valid: ${
            parsed.error
          }`,
        );
      }
      const settingsVersion = await this.settingsVersionOf(
        entityRef,
        file.commit.sha,
      );
      const [current] = await runs.listSucceeded(
        entityRef,
        request.environment,
        { limit: 1 },
      );
      const run: NewDeploymentRun = {
        id: randomUUID(),
        entityRef,
        environment: request.environment,
        kind: 'deploy',
        ref: request.ref ?? resolved.defaultBranch,
        commitSha: resolved.sha,
        committedAt: resolved.committedAt,
        previousCommitSha: current?.commitSha ?? null,
        repository: {
          cloneUrl: repository.cloneUrl,
          githubSlug: repository.githubSlug,
          defaultBranch: resolved.defaultBranch,
        },
        settings: parsed.settings,
        settingsVersion,
        triggeredBy: actor,
        requestedAt: this.now().toISOString(),
      };
      return this.queue(
        run,
        entity,
        actor,
        action,
        `Deploying ${run.ref} (${shortSha(run.commitSha)}) to ${
          run.environment
        }`,
      );
    });
  }

  /** Queues a deployment of the version that served before the current one. */
  async rollback(
    entityRef: string,
    request: { environment: string },
    credentials: UserCredentials,
  ): Promise<DeploymentDetails> {
    this.requireProvider();
    const { runs } = this.options;
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    const action = 'deployment.rolled-back';
    await this.authorize(action, entityRef, entity, credentials);

    return this.audited(action, entityRef, entity, actor, async () => {
      await this.assertActive(entityRef);
      const succeeded = await runs.listSucceeded(
        entityRef,
        request.environment,
        { limit: ROLLBACK_HISTORY },
      );
      const [current] = succeeded;
      if (!current) {
        throw new ConflictError(
          `${entityRef} has no successful deployment to ${request.environment} to roll back`,
        );
      }
      const target = succeeded.find(run => run.commitSha !== current.commitSha);
      if (!target?.commitSha || !target.repository || !target.settings) {
        throw new ConflictError(
          `${entityRef} has no earlier successful version in ${
            request.environment
          } than ${shortSha(current.commitSha)} to roll back to`,
        );
      }
      const run: NewDeploymentRun = {
        id: randomUUID(),
        entityRef,
        environment: request.environment,
        kind: 'rollback',
        ref: target.commitSha,
        commitSha: target.commitSha,
        committedAt: target.committedAt ?? target.startedAt,
        previousCommitSha: current.commitSha,
        repository: target.repository,
        // As that version ran: its code with its settings.
        settings: target.settings,
        settingsVersion: target.settingsVersion,
        triggeredBy: actor,
        requestedAt: this.now().toISOString(),
      };
      return this.queue(
        run,
        entity,
        actor,
        action,
        `Rolling ${request.environment} back from ${shortSha(
          current.commitSha,
        )} to ${shortSha(target.commitSha)} (deployment ${target.id})`,
      );
    });
  }

  /**
   * Cancels a deployment: a pending one ends at once, a running one is
   * aborted by its runner, on whichever replica. Allowed on a deactivated
   * project: stopping is always possible.
   */
  async cancel(
    id: string,
    credentials: UserCredentials,
  ): Promise<DeploymentDetails> {
    const { runs, catalog, runner } = this.options;
    const actor = credentials.principal.userEntityRef;
    const run = await runs.getRun(id);
    if (!run) {
      throw new NotFoundError(`No deployment ${id}`);
    }
    const entity = await catalog
      .getEntityByRef(run.entityRef, { credentials })
      .then(e => e ?? undefined);
    const action = 'deployment.finished';
    await this.authorize(action, run.entityRef, entity, credentials);

    return this.audited(action, run.entityRef, entity, actor, async () => {
      const result = await runs.requestCancel(id, actor, this.now(), trx =>
        this.options.audit.enqueue(
          trx,
          deploymentAuditEvent({
            action,
            outcome: 'succeeded',
            actor,
            run,
            entity,
            summary: `Cancelled the deployment of ${shortSha(
              run.commitSha,
            )} to ${run.environment}`,
            details: { cancelled: true },
          }),
        ),
      );
      if (result === 'requested') {
        runner?.cancelLocal(id, actor);
      } else {
        const ended = await runs.getRun(id);
        if (ended) {
          await this.options.notifier.finished(ended, {
            status: ended.status,
            reason: ended.reason,
          });
        }
      }
      return this.get(id);
    });
  }

  async get(id: string): Promise<DeploymentDetails> {
    const { runs } = this.options;
    const run = await runs.getRun(id);
    if (!run) {
      throw new NotFoundError(`No deployment ${id}`);
    }
    return toDetails(run, await runs.listStages(id));
  }

  /** Log lines after the cursor; see {@link DeploymentEventsResponse}. */
  async events(
    id: string,
    options: { after: number; limit: number },
  ): Promise<DeploymentEventsResponse> {
    const { runs } = this.options;
    // The status first: a runner stores every line before it finishes, so
    // once finished is read, the lines read after it are all there are.
    const run = await runs.getRun(id);
    if (!run) {
      throw new NotFoundError(`No deployment ${id}`);
    }
    const items = await runs.readLogs(id, options);
    return {
      items,
      cursor: String(
        items.length ? items[items.length - 1].seq : options.after,
      ),
      finished: run.finishedAt !== null,
      status: run.status,
    };
  }

  async runtime(
    entityRef: string,
    environment: string,
  ): Promise<DeploymentRuntime> {
    const provider = this.requireProvider();
    const state = await provider.getRuntime(entityRef, environment);
    return {
      entityRef,
      environment,
      provider: provider.id,
      url: state.url,
      instances: state.instances,
      desiredReplicas: state.desiredReplicas,
      ...(state.note ? { note: state.note } : {}),
    };
  }

  async dora(
    entityRef: string,
    environment: string,
    days: number,
  ): Promise<DoraMetrics> {
    const to = this.now();
    const since = new Date(to.getTime() - days * 24 * 60 * 60 * 1000);
    return computeDora({
      entityRef,
      environment,
      days,
      to,
      runs: await this.options.runs.listFinished(entityRef, environment, since),
    });
  }

  /** Stores the run with its audit event, then wakes the local runner. */
  private async queue(
    run: NewDeploymentRun,
    entity: Entity,
    actor: string,
    action: AuditAction,
    summary: string,
  ): Promise<DeploymentDetails> {
    const { runs, audit, notifier, runner } = this.options;
    const audited: AuditedRun = { ...run };
    await runs.createRun(run, trx =>
      audit.enqueue(
        trx,
        deploymentAuditEvent({
          action,
          outcome: 'succeeded',
          actor,
          run: audited,
          entity,
          summary,
          details: { previousCommitSha: run.previousCommitSha },
        }),
      ),
    );
    await notifier.status(run, 'pending');
    runner?.wake();
    return this.get(run.id);
  }

  /**
   * The stored version a descriptor commit holds; a project created a
   * moment ago is synced first.
   */
  private async settingsVersionOf(
    entityRef: string,
    descriptorCommitSha: string,
  ): Promise<number | null> {
    const { store, sync, logger } = this.options;
    let version = await store.getSettingsVersionByCommit(
      entityRef,
      descriptorCommitSha,
    );
    if (!version) {
      await sync.syncEntityRef(entityRef).catch(error => {
        logger.warn(`Reading the settings of ${entityRef} failed: ${error}`);
      });
      version = await store.getSettingsVersionByCommit(
        entityRef,
        descriptorCommitSha,
      );
    }
    return version?.version ?? null;
  }

  private async assertActive(entityRef: string) {
    const project = await this.options.store.getProject(entityRef);
    if (project?.deactivated) {
      throw new ConflictError(
        `${entityRef} is deactivated; reactivate it to deploy`,
      );
    }
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

  /** Throws NotAllowedError (and audits the denial) unless allowed. */
  private async authorize(
    action: AuditAction,
    entityRef: string,
    entity: Entity | undefined,
    credentials: UserCredentials,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: deploymentCreatePermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return;
    }
    await this.enqueueOutside(action, 'denied', entityRef, entity, {
      actor: credentials.principal.userEntityRef,
      summary: `Denied ${deploymentCreatePermission.name}`,
      details: { permission: deploymentCreatePermission.name },
    });
    throw new NotAllowedError(
      `Not allowed: ${deploymentCreatePermission.name}`,
    );
  }

  /** Runs an allowed write; a failure is audited before it is rethrown. */
  private async audited<T>(
    action: AuditAction,
    entityRef: string,
    entity: Entity | undefined,
    actor: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      await this.enqueueOutside(action, 'failed', entityRef, entity, {
        actor,
        summary: `${action} failed: ${publicReason(error)}`,
        details: { error: (error as Error).name },
      }).catch(auditError =>
        this.options.logger.error(
          `Could not audit the failed ${action} of ${entityRef}: ${auditError}`,
        ),
      );
      throw error;
    }
  }

  /** An audit event that records no change: queued in its own transaction. */
  private async enqueueOutside(
    action: AuditAction,
    outcome: 'denied' | 'failed',
    entityRef: string,
    entity: Entity | undefined,
    event: { actor: string; summary: string; details: Record<string, unknown> },
  ) {
    // Nothing changed: the event says who tried what, and why it failed.
    const input = entityAuditEvent({
      action,
      outcome,
      entityRef,
      entity,
      ...event,
    });
    await this.options.store.transaction(trx =>
      this.options.audit.enqueue(trx, input),
    );
  }
}
