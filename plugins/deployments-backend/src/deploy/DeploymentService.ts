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
  isPreviewEnvironment,
  type DeploymentDetails,
  type DeploymentEnvironment,
  type DeploymentEventsResponse,
  type DeploymentRuntime,
  type DoraMetrics,
  type EnvironmentLastDeployment,
} from '@paved-road/plugin-deployments-common';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';
import type { AuditAction } from '@paved-road/plugin-paved-road-common';
import { randomUUID } from 'node:crypto';
import type {
  DeploymentEnvironmentsStore,
  StoredEnvironment,
} from '../database/DeploymentEnvironmentsStore';
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
import {
  deploymentTarget,
  DeploymentTarget,
  environmentKind,
  EnvironmentsConfig,
} from './environments';
import type { PreviewEnvironments } from './PreviewEnvironments';

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

function toLastDeployment(run: StoredRun): EnvironmentLastDeployment {
  return {
    id: run.id,
    status: run.status,
    ref: run.ref,
    commitSha: run.commitSha,
    triggeredBy: run.triggeredBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
  };
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
      environments: DeploymentEnvironmentsStore;
      environmentsConfig: EnvironmentsConfig;
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
      /** Undefined while `deployments.provider` is not set. */
      previews: PreviewEnvironments | undefined;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private requireProvider(): DeploymentProvider {
    return this.required(this.options.provider);
  }

  /** What only exists with a provider, or 503. */
  private required<T>(value: T | undefined): T {
    if (value === undefined) {
      throw new ServiceUnavailableError(
        `No deployment provider is configured: set ${PROVIDER_CONFIG_KEY} (e.g. local) and add the backend module that provides it`,
      );
    }
    return value;
  }

  /** Queues a deployment of `ref` (default: the head of the default branch). */
  async create(
    entityRef: string,
    request: { ref?: string; environment: string },
    credentials: UserCredentials,
  ): Promise<DeploymentDetails> {
    this.requireProvider();
    const { runs, locator } = this.options;
    const target = deploymentTarget(this.options.environmentsConfig, request);
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
      let resolved;
      if (target.kind === 'preview') {
        resolved = await repository.resolveBranch(target.branch);
        if (!resolved) {
          throw new InputError(
            `ref: a preview deploys a branch; ${repository.url} has no branch named ${target.branch}`,
          );
        }
      } else {
        resolved = await repository.resolveRef(request.ref);
        if (!resolved) {
          throw new InputError(
            request.ref === undefined
              ? `ref: the default branch of ${repository.url} has no commit`
              : `ref: no branch, tag or commit named ${request.ref} in ${repository.url}`,
          );
        }
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
        target,
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
    environmentKind(this.options.environmentsConfig, request.environment);
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    const action = 'deployment.rolled-back';
    await this.authorize(action, entityRef, entity, credentials);

    return this.audited(action, entityRef, entity, actor, async () => {
      await this.assertActive(entityRef);
      const destination = await this.rollbackTarget(
        entityRef,
        request.environment,
      );
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
        destination,
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

  /**
   * The configured standard environments (listed whether or not anything
   * was deployed there), then the live previews newest first, each with what
   * the provider runs there and its last deployment.
   */
  async listEnvironments(entityRef: string): Promise<DeploymentEnvironment[]> {
    const { environments, environmentsConfig } = this.options;
    const live = await environments.listLive(entityRef);
    const answeredAt = this.now().toISOString();
    const standard = environmentsConfig.standard.map(name => ({
      name,
      stored: live.find(environment => environment.name === name),
    }));
    const previews = live
      .filter(environment => environment.kind === 'preview')
      .map(environment => ({ name: environment.name, stored: environment }));
    return Promise.all(
      [...standard, ...previews].map(({ name, stored }) =>
        this.describeEnvironment(entityRef, name, stored, answeredAt),
      ),
    );
  }

  /**
   * Tears down a live preview: stops what runs there and marks it torn
   * down. Allowed on a deactivated project: stopping is always possible.
   */
  async tearDownEnvironment(
    entityRef: string,
    name: string,
    credentials: UserCredentials,
  ): Promise<void> {
    const previews = this.required(this.options.previews);
    const { environments, environmentsConfig } = this.options;
    if (!isPreviewEnvironment(name)) {
      throw environmentsConfig.standard.includes(name)
        ? new ConflictError(
            `${name} is a standard environment, not a preview; only previews are torn down`,
          )
        : new NotFoundError(`No preview environment ${name} of ${entityRef}`);
    }
    const actor = credentials.principal.userEntityRef;
    const entity = await this.getEntity(entityRef, credentials);
    const action = 'environment.torn-down';
    await this.authorize(action, entityRef, entity, credentials);

    await this.audited(action, entityRef, entity, actor, async () => {
      const environment = await environments.get(entityRef, name);
      if (!environment || environment.tornDownAt !== null) {
        throw new NotFoundError(
          environment
            ? `${name} of ${entityRef} was torn down at ${environment.tornDownAt} by ${environment.tornDownBy}`
            : `No preview environment ${name} of ${entityRef}`,
        );
      }
      await previews.tearDown(environment, {
        actor,
        entity,
        reason: 'requested',
      });
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

  /** One environment as the list shows it. */
  private async describeEnvironment(
    entityRef: string,
    name: string,
    stored: StoredEnvironment | undefined,
    answeredAt: string,
  ): Promise<DeploymentEnvironment> {
    const [runtime, last] = await Promise.all([
      this.runtimeSummary(entityRef, name),
      this.options.runs.getLatestRun(entityRef, name),
    ]);
    return {
      name,
      kind: stored?.kind ?? 'standard',
      branch: stored?.branch ?? null,
      ...runtime,
      lastDeployment: last ? toLastDeployment(last) : null,
      createdBy: stored?.createdBy ?? null,
      // A configured environment nothing was deployed to yet exists as of
      // now.
      createdAt: stored?.createdAt ?? answeredAt,
      expiresAt: stored?.expiresAt ?? null,
    };
  }

  /** URL and instance counts; a provider error is logged, not thrown. */
  private async runtimeSummary(
    entityRef: string,
    environment: string,
  ): Promise<Pick<DeploymentEnvironment, 'url' | 'instances'>> {
    const { provider, logger } = this.options;
    const none = { url: null, instances: { total: 0, healthy: 0 } };
    if (!provider) {
      return none;
    }
    try {
      const state = await provider.getRuntime(entityRef, environment);
      return {
        url: state.url,
        instances: {
          total: state.instances.length,
          healthy: state.instances.filter(instance => instance.healthy).length,
        },
      };
    } catch (error) {
      logger.warn(
        `Reading what runs for ${entityRef} in ${environment} failed: ${error}`,
      );
      return none;
    }
  }

  /**
   * Where a rollback goes: a configured environment (checked before) or a
   * live preview, which keeps its branch.
   */
  private async rollbackTarget(
    entityRef: string,
    name: string,
  ): Promise<DeploymentTarget> {
    if (!isPreviewEnvironment(name)) {
      return { kind: 'standard', branch: null };
    }
    const environment = await this.options.environments.get(entityRef, name);
    if (!environment?.branch || environment.tornDownAt !== null) {
      throw new ConflictError(
        `${name} of ${entityRef} is not a live preview; deploy its branch to bring it back`,
      );
    }
    return { kind: 'preview', branch: environment.branch };
  }

  /** Stores the run with its audit event, then wakes the local runner. */
  private async queue(
    run: NewDeploymentRun,
    target: DeploymentTarget,
    entity: Entity,
    actor: string,
    action: AuditAction,
    summary: string,
  ): Promise<DeploymentDetails> {
    const { runs, audit, notifier, runner, environments } = this.options;
    const audited: AuditedRun = { ...run };
    const at = new Date(run.requestedAt);
    const expiresAt =
      target.kind === 'preview'
        ? new Date(at.getTime() + this.options.environmentsConfig.previewTtlMs)
        : null;
    await runs.createRun(run, async trx => {
      // Creates, renews or brings back the environment with the run.
      await environments.recordDeployment(trx, {
        entityRef: run.entityRef,
        name: run.environment,
        kind: target.kind,
        branch: target.branch,
        by: actor,
        at,
        expiresAt,
      });
      await audit.enqueue(
        trx,
        deploymentAuditEvent({
          action,
          outcome: 'succeeded',
          actor,
          run: audited,
          entity,
          summary,
          details: {
            previousCommitSha: run.previousCommitSha,
            ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
          },
        }),
      );
    });
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
