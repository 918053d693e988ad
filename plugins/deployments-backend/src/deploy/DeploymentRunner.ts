import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DeploymentOutcome,
  DeploymentProvider,
  DeploymentRequest,
} from '@paved-road/plugin-deployments-node';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type {
  DeploymentRunsStore,
  RunClaim,
  RunOutcome,
  StoredRun,
} from '../database/DeploymentRunsStore';
import type { AuditQueue } from '../service/audit';
import { deploymentAuditEvent } from './deploymentAudit';
import { DeploymentNotifier } from './DeploymentNotifier';
import { RunnerConfig } from './runnerConfig';
import { RunReporter } from './RunReporter';

/** How long a shutdown waits for aborted deployments to return. */
const STOP_TIMEOUT_MS = 20_000;

type Running = {
  claim: RunClaim;
  controller: AbortController;
  done: Promise<void>;
  /** Set when this backend stops: the run is handed back, not ended. */
  releasing: boolean;
  cancelledBy: string | null;
  claimLost: boolean;
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs deployments on this backend process. Work is claimed through the
 * database (see {@link DeploymentRunsStore.claimNext}) so that of any number
 * of replicas on one database each deployment runs on exactly one; the
 * runner holding it renews a heartbeat, and when a replica dies its
 * deployments go stale and another runner (or this one after a restart)
 * resumes them by calling the provider again with the same deployment id,
 * up to `maxAttempts` times, after which they end as failed ("interrupted").
 */
export class DeploymentRunner {
  /** This process's name on the claims it holds. */
  readonly owner: string;
  private readonly running = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;

  constructor(
    private readonly options: {
      store: DeploymentRunsStore;
      provider: DeploymentProvider;
      notifier: DeploymentNotifier;
      audit: AuditQueue;
      logger: LoggerService;
      config: RunnerConfig;
      now?: () => Date;
      owner?: string;
    },
  ) {
    this.owner =
      options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID()}`;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Polls for work every `pollInterval` until {@link DeploymentRunner.stop}. */
  start(): void {
    this.schedule(0);
  }

  /**
   * Stops polling and hands every deployment it runs back to the database,
   * so that another replica (or this one after its restart) resumes it at
   * once instead of after the stale timeout.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearTimeout(this.timer);
    }
    // A poll under way may still claim: wait for it, then release all.
    await this.polling;
    for (const running of this.running.values()) {
      running.releasing = true;
      running.controller.abort(new Error('The backend is shutting down'));
    }
    // A provider that ignores the abort must not hold the shutdown: its
    // claims go stale and are resumed elsewhere.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.idle(),
      new Promise<void>(resolve => {
        timeout = setTimeout(() => {
          this.options.logger.warn(
            `Deployments ${[...this.running.keys()].join(
              ', ',
            )} did not stop in time; another runner resumes them once their claims are stale`,
          );
          resolve();
        }, STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timeout);
  }

  /** Polls now, e.g. right after this replica queued a deployment. */
  wake(): void {
    if (!this.stopped) {
      void this.poll();
    }
  }

  /** Aborts a deployment this process runs; false when it runs elsewhere. */
  cancelLocal(deploymentId: string, by: string): boolean {
    const running = this.running.get(deploymentId);
    if (!running) {
      return false;
    }
    running.cancelledBy = by;
    running.controller.abort(new Error(`Cancelled by ${by}`));
    return true;
  }

  /** Resolves when every deployment this process runs has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map(r => r.done));
    }
  }

  /**
   * One poll: ends deployments that used up their attempts, then claims
   * work up to the concurrency limit. Concurrent calls share one poll.
   */
  poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.pollOnce()
      .catch(error =>
        this.options.logger.warn(`Polling for deployments failed: ${error}`),
      )
      .finally(() => {
        this.polling = undefined;
        if (this.pollAgain && !this.stopped) {
          this.pollAgain = false;
          void this.poll();
        }
      });
    return this.polling;
  }

  private schedule(delayMs: number) {
    if (this.stopped) {
      return;
    }
    this.timer = setTimeout(async () => {
      await this.poll();
      this.schedule(this.options.config.pollIntervalMs);
    }, delayMs);
    // Polling alone never keeps the process alive.
    this.timer.unref?.();
  }

  private async pollOnce(): Promise<void> {
    const { store, config, audit, notifier } = this.options;
    const now = this.now();
    const staleBefore = new Date(now.getTime() - config.staleAfterMs);

    const expired = await store.expireStale({
      now,
      staleBefore,
      maxAttempts: config.maxAttempts,
      inTransaction: (trx, run) =>
        audit.enqueue(
          trx,
          deploymentAuditEvent({
            action: 'deployment.finished',
            outcome: 'failed',
            actor: run.triggeredBy,
            run,
            summary: `Deployment of ${run.commitSha?.slice(0, 7)} to ${
              run.environment
            } ${run.reason}`,
          }),
        ),
    });
    for (const run of expired) {
      this.options.logger.warn(`Deployment ${run.id} ${run.reason}`);
      await notifier.finished(run, { status: 'failed', reason: run.reason });
    }

    while (!this.stopped && this.running.size < config.concurrency) {
      const claim = await store.claimNext({
        owner: this.owner,
        now: this.now(),
        staleBefore: new Date(this.now().getTime() - config.staleAfterMs),
        maxAttempts: config.maxAttempts,
      });
      if (!claim) {
        return;
      }
      this.execute(claim);
    }
  }

  private execute(claim: RunClaim) {
    const running: Running = {
      claim,
      controller: new AbortController(),
      done: Promise.resolve(),
      releasing: false,
      cancelledBy: null,
      claimLost: false,
    };
    running.done = this.run(running)
      .catch(error =>
        this.options.logger.error(
          `Running deployment ${claim.deploymentId} failed: ${error}`,
        ),
      )
      .finally(() => {
        this.running.delete(claim.deploymentId);
        // A slot is free.
        this.wake();
      });
    this.running.set(claim.deploymentId, running);
  }

  private async run(running: Running): Promise<void> {
    const { store, provider, notifier, logger, config } = this.options;
    const { claim, controller } = running;
    const run = await store.getRun(claim.deploymentId);
    if (!run) {
      return;
    }
    if (claim.resumed) {
      await store.failRunningStages(
        run.id,
        'interrupted: the backend running it stopped',
        this.now(),
      );
    }
    const reporter = new RunReporter({
      store,
      claim,
      run,
      notifier,
      logger,
      signal: controller.signal,
      lastLogSeq: await store.lastLogSeq(run.id),
      now: () => this.now(),
    });
    if (claim.resumed) {
      reporter.log(
        `Resuming after the backend that ran it stopped (attempt ${claim.attempt} of ${config.maxAttempts})`,
      );
    }
    if (run.cancelRequestedBy) {
      // Asked while no runner held it: the provider gets an aborted signal
      // and cleans up what an earlier attempt left.
      running.cancelledBy = run.cancelRequestedBy;
      controller.abort(new Error(`Cancelled by ${run.cancelRequestedBy}`));
    }
    await notifier.status(run, 'in-progress');

    // One beat at a time; the last is awaited before the claim is released
    // or finished, so a late beat never renews a released claim.
    let beating: Promise<void> | undefined;
    const beat = async () => {
      try {
        const result = await store.heartbeat(claim, this.now());
        if (!result.owned) {
          running.claimLost = true;
          controller.abort(
            new Error('Another runner took the deployment over'),
          );
        } else if (result.cancelRequestedBy && !running.cancelledBy) {
          running.cancelledBy = result.cancelRequestedBy;
          controller.abort(
            new Error(`Cancelled by ${result.cancelRequestedBy}`),
          );
        }
      } catch (error) {
        logger.warn(`Heartbeat of deployment ${run.id} failed: ${error}`);
      } finally {
        beating = undefined;
      }
    };
    const heartbeat = setInterval(() => {
      beating ??= beat();
    }, config.heartbeatIntervalMs);

    let outcome: DeploymentOutcome;
    try {
      outcome = await provider.deploy(this.request(run), reporter);
    } catch (error) {
      outcome = { status: 'failed', reason: errorMessage(error) };
    } finally {
      clearInterval(heartbeat);
      await beating;
    }
    if (outcome.status !== 'succeeded') {
      reporter.log(`${outcome.status}: ${outcome.reason}`);
    }
    await reporter.flush();

    if (running.releasing) {
      await store.release(claim);
      logger.info(`Handed deployment ${run.id} back for another runner`);
      return;
    }
    if (running.claimLost) {
      logger.warn(`Deployment ${run.id} was taken over by another runner`);
      return;
    }
    await this.finish(run, claim, this.recorded(outcome, running));
  }

  private request(run: StoredRun): DeploymentRequest {
    if (!run.repository || !run.settings || !run.commitSha || !run.ref) {
      throw new Error(`Deployment ${run.id} lacks its commit or settings`);
    }
    return {
      deploymentId: run.id,
      entityRef: run.entityRef,
      environment: run.environment,
      ref: run.ref,
      commitSha: run.commitSha,
      repository: run.repository,
      settings: run.settings,
      previousCommitSha: run.previousCommitSha ?? undefined,
    };
  }

  /** The outcome to store; a cancel shows in the reason. */
  private recorded(outcome: DeploymentOutcome, running: Running): RunOutcome {
    if (outcome.status === 'succeeded') {
      return { status: 'succeeded', reason: null };
    }
    const reason = outcome.reason || 'no reason given';
    return {
      status: outcome.status,
      reason: running.cancelledBy
        ? `cancelled by ${running.cancelledBy}: ${reason}`
        : reason,
    };
  }

  private async finish(run: StoredRun, claim: RunClaim, outcome: RunOutcome) {
    const { store, audit, notifier } = this.options;
    const sha = run.commitSha?.slice(0, 7);
    const finished = await store.finishRun(claim, outcome, this.now(), trx =>
      audit.enqueue(
        trx,
        deploymentAuditEvent({
          action: 'deployment.finished',
          outcome: outcome.status === 'succeeded' ? 'succeeded' : 'failed',
          actor: run.triggeredBy,
          run,
          summary:
            outcome.status === 'succeeded'
              ? `Deployed ${sha} to ${run.environment}`
              : `Deployment of ${sha} to ${run.environment} ${outcome.status}: ${outcome.reason}`,
          details: { status: outcome.status, reason: outcome.reason },
        }),
      ),
    );
    if (finished) {
      await notifier.finished(run, outcome);
    }
  }
}
