import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { DeploymentProvider } from '@paved-road/plugin-deployments-node';
import type { DeploymentEnvironmentsStore } from '../database/DeploymentEnvironmentsStore';
import type { StoredEnvironment } from '../database/DeploymentEnvironmentsStore';
import type { DeploymentRunsStore } from '../database/DeploymentRunsStore';
import type { AuditQueue } from '../service/audit';
import { entityAuditEvent } from './deploymentAudit';
import type { EnvironmentsConfig } from './environments';

/** The actor of what the plugin does on its own (the TTL task). */
export const SYSTEM_ACTOR = 'plugin:deployments';

/** Expired previews one run of the TTL task tears down at most. */
const CLEANUP_BATCH = 50;

/** The id of the TTL task, as the scheduler knows it. */
export const PREVIEW_CLEANUP_TASK_ID = 'deployments-previews-cleanup';

/** Why a preview was torn down. */
export type TeardownReason = 'requested' | 'expired';

/** What one run of the TTL task did. */
export interface CleanupResult {
  tornDown: StoredEnvironment[];
  /** Expired, but a deployment to it is pending or running. */
  busy: StoredEnvironment[];
  failed: StoredEnvironment[];
}

/**
 * Tears previews down: the provider stops what runs there, then the
 * environment is marked torn down with its audit event in one transaction.
 * The same path serves the teardown button and the TTL task.
 */
export class PreviewEnvironments {
  constructor(
    private readonly options: {
      environments: DeploymentEnvironmentsStore;
      runs: DeploymentRunsStore;
      provider: DeploymentProvider;
      audit: AuditQueue;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Tears down a live preview as read. Throws ConflictError while a
   * deployment to it is pending or running, or when one was queued while
   * tearing down (that deployment brings it back); NotFoundError when it was
   * torn down meanwhile. A provider error is thrown as it is and nothing is
   * marked: the next attempt tries again.
   */
  async tearDown(
    environment: StoredEnvironment,
    by: { actor: string; entity?: Entity; reason: TeardownReason },
  ): Promise<void> {
    const { runs, environments, provider, audit } = this.options;
    const { entityRef, name } = environment;
    const active = await runs.getActiveRun(entityRef, name);
    if (active) {
      throw new ConflictError(
        `A deployment of ${entityRef} to ${name} is ${active.status} (${active.id}); cancel it or wait for it to finish before tearing ${name} down`,
      );
    }
    // Stop first, mark after: a provider that fails leaves the preview
    // listed (and the TTL task retrying), never marked while it still runs.
    await provider.teardown(entityRef, name);
    const at = this.now();
    const marked = await environments.markTornDown(
      environment,
      { by: by.actor, at },
      trx =>
        audit.enqueue(
          trx,
          entityAuditEvent({
            action: 'environment.torn-down',
            outcome: 'succeeded',
            actor: by.actor,
            entityRef,
            entity: by.entity,
            summary:
              by.reason === 'expired'
                ? `Tore down ${name} (branch ${environment.branch}): expired ${environment.expiresAt}`
                : `Tore down ${name} (branch ${environment.branch})`,
            details: {
              environment: name,
              branch: environment.branch,
              reason: by.reason,
              createdBy: environment.createdBy,
              lastDeployedAt: environment.lastDeployedAt,
              expiresAt: environment.expiresAt,
            },
          }),
        ),
    );
    if (marked) {
      return;
    }
    const current = await environments.get(entityRef, name);
    if (!current || current.tornDownAt !== null) {
      throw new NotFoundError(`${name} of ${entityRef} is torn down already`);
    }
    throw new ConflictError(
      `A deployment of ${entityRef} to ${name} was queued while tearing it down; it brings ${name} back`,
    );
  }

  /**
   * Tears down every preview whose TTL has run out, as the plugin; one with
   * a deployment pending or running is left for a later run, and one that
   * fails is logged and tried again on the next.
   */
  async cleanUpExpired(): Promise<CleanupResult> {
    const { environments, logger } = this.options;
    const result: CleanupResult = { tornDown: [], busy: [], failed: [] };
    const expired = await environments.listExpired(this.now(), {
      limit: CLEANUP_BATCH,
    });
    for (const environment of expired) {
      const label = `${environment.name} of ${environment.entityRef}`;
      try {
        await this.tearDown(environment, {
          actor: SYSTEM_ACTOR,
          reason: 'expired',
        });
        logger.info(`Tore down ${label}: expired ${environment.expiresAt}`);
        result.tornDown.push(environment);
      } catch (error) {
        if (error instanceof NotFoundError || error instanceof ConflictError) {
          // A deployment in flight, or torn down or deployed again meanwhile.
          logger.info(`Left ${label} as it is: ${error.message}`);
          result.busy.push(environment);
        } else {
          logger.warn(`Could not tear down ${label}: ${error}`);
          result.failed.push(environment);
        }
      }
    }
    return result;
  }
}

/**
 * Runs the TTL task on `deployments.previews.cleanup` (default every 5
 * minutes). Global scope: the scheduler's lock in the database lets one
 * replica at a time run it.
 */
export async function schedulePreviewCleanup(options: {
  scheduler: SchedulerService;
  config: EnvironmentsConfig;
  previews: PreviewEnvironments;
}) {
  const { scheduler, config, previews } = options;
  await scheduler.scheduleTask({
    id: PREVIEW_CLEANUP_TASK_ID,
    ...config.cleanupSchedule,
    // Always: the config's schedule may say local (or leave it undefined).
    scope: 'global',
    fn: async () => {
      await previews.cleanUpExpired();
    },
  });
}
