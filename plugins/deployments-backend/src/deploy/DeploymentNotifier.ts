import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  deploymentSignalChannel,
  type DeploymentSignal,
  type DeploymentStage,
  type DeploymentStatus,
} from '@paved-road/plugin-deployments-common';
import type { JsonObject } from '@backstage/types';

/** What the notifier needs to know of a deployment. */
export interface NotifiedRun {
  id: string;
  entityRef: string;
  environment: string;
  commitSha: string | null;
  triggeredBy: string;
}

const shortSha = (sha: string | null) => (sha ? sha.slice(0, 7) : 'unknown');

const FINISHED_TITLES: Partial<Record<DeploymentStatus, string>> = {
  succeeded: 'deployed',
  failed: 'deployment failed',
  'rolled-back': 'deployment rolled back',
};

/**
 * Tells browsers (signals, whichever replica they are connected to, through
 * the events backend) and people (notifications) what deployments do.
 * Neither may fail a deployment: a portal without the signals or
 * notifications backend still deploys, and a failed send is logged.
 */
export class DeploymentNotifier {
  constructor(
    private readonly options: {
      signals: SignalsService;
      notifications: NotificationService;
      logger: LoggerService;
    },
  ) {}

  async status(run: NotifiedRun, status: DeploymentStatus): Promise<void> {
    await this.publish(run, { type: 'status', status });
  }

  async stage(
    run: NotifiedRun,
    status: DeploymentStatus,
    stage: DeploymentStage,
  ): Promise<void> {
    await this.publish(run, { type: 'stage', status, stage });
  }

  /** The status signal, and a notification to whoever started it. */
  async finished(
    run: NotifiedRun,
    outcome: { status: DeploymentStatus; reason: string | null },
  ): Promise<void> {
    await this.status(run, outcome.status);
    if (!run.triggeredBy.startsWith('user:')) {
      return;
    }
    const entity = parseEntityRef(run.entityRef);
    const title = `${entity.name}: ${
      FINISHED_TITLES[outcome.status] ?? outcome.status
    } (${shortSha(run.commitSha)} to ${run.environment})`;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: run.triggeredBy },
        payload: {
          title,
          description: outcome.reason ?? undefined,
          link: `/catalog/${entity.namespace}/${entity.kind}/${entity.name}/deployments`,
          severity: outcome.status === 'succeeded' ? 'normal' : 'high',
          topic: 'deployments',
          scope: `deployment:${run.id}`,
        },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${run.triggeredBy} of deployment ${run.id}: ${error}`,
      );
    }
  }

  private async publish(
    run: NotifiedRun,
    change: Pick<DeploymentSignal, 'type' | 'status' | 'stage'>,
  ): Promise<void> {
    const message: DeploymentSignal = {
      ...change,
      deploymentId: run.id,
      entityRef: run.entityRef,
      environment: run.environment,
    };
    try {
      await this.options.signals.publish({
        // Everyone who may read the deployment may watch it.
        recipients: { type: 'broadcast' },
        channel: deploymentSignalChannel(run.entityRef),
        // Plain JSON: strings, numbers and nulls only.
        message: message as unknown as JsonObject,
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish a signal for deployment ${run.id}: ${error}`,
      );
    }
  }
}
