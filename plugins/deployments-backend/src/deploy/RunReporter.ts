import { LoggerService } from '@backstage/backend-plugin-api';
import type { DeploymentLogLine } from '@paved-road/plugin-deployments-common';
import type { DeploymentReporter } from '@paved-road/plugin-deployments-node';
import type {
  DeploymentRunsStore,
  RunClaim,
} from '../database/DeploymentRunsStore';
import { DeploymentNotifier, NotifiedRun } from './DeploymentNotifier';

/** Lines longer than this are cut: a log line is not a file. */
export const MAX_LINE_LENGTH = 4000;
const MAX_STAGE_NAME_LENGTH = 255;
// Lines are written in batches: at most this long after the first is logged,
// or at once when this many wait.
const FLUSH_DELAY_MS = 200;
const FLUSH_LINES = 200;

/**
 * The reporter one claim of a deployment hands its provider: stages and log
 * lines go to the database (so any replica serves them) and stage changes
 * out as signals. Log lines are numbered from where earlier attempts of the
 * deployment stopped, so the events cursor reads on across a resume.
 */
export class RunReporter implements DeploymentReporter {
  private seq: number;
  private buffer: DeploymentLogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      store: DeploymentRunsStore;
      claim: RunClaim;
      run: NotifiedRun;
      notifier: DeploymentNotifier;
      logger: LoggerService;
      signal: AbortSignal;
      /** The last log seq stored before this claim. */
      lastLogSeq: number;
      now: () => Date;
    },
  ) {
    this.seq = options.lastLogSeq;
  }

  get signal(): AbortSignal {
    return this.options.signal;
  }

  log(text: string): void {
    const at = this.options.now().toISOString();
    for (const raw of String(text).split('\n')) {
      const line = raw.replace(/\r$/, '');
      this.seq += 1;
      this.buffer.push({
        seq: this.seq,
        at,
        line:
          line.length > MAX_LINE_LENGTH
            ? `${line.slice(0, MAX_LINE_LENGTH)} …`
            : line,
      });
    }
    if (this.buffer.length >= FLUSH_LINES) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
    }
  }

  async stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const { store, claim, notifier, run, now } = this.options;
    const stageName = name.slice(0, MAX_STAGE_NAME_LENGTH);
    await this.flush();
    const startedAt = now();
    const seq = await store.startStage(claim, stageName, startedAt);
    const stage = {
      name: stageName,
      attempt: claim.attempt,
      startedAt: startedAt.toISOString(),
    };
    await notifier.stage(run, 'in-progress', {
      ...stage,
      status: 'running',
      finishedAt: null,
      error: null,
    });

    let result: T;
    try {
      result = await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.endStage(seq, stage, { status: 'failed', error: message });
      throw error;
    }
    await this.endStage(seq, stage, { status: 'succeeded', error: null });
    return result;
  }

  /** Writes the lines logged so far; resolves once they are stored. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const lines = this.buffer.splice(0);
    const { store, claim, logger } = this.options;
    this.writing = this.writing.then(async () => {
      if (lines.length === 0) {
        return;
      }
      try {
        await store.appendLogs(claim.deploymentId, lines);
      } catch (error) {
        // Lost log lines must not fail the rollout they describe.
        logger.warn(
          `Could not store ${lines.length} log lines of deployment ${claim.deploymentId}: ${error}`,
        );
      }
    });
    return this.writing;
  }

  private async endStage(
    seq: number,
    stage: { name: string; attempt: number; startedAt: string },
    result: { status: 'succeeded' | 'failed'; error: string | null },
  ) {
    const { store, claim, notifier, run, now } = this.options;
    await this.flush();
    const finishedAt = now();
    await store.finishStage(claim.deploymentId, seq, result, finishedAt);
    await notifier.stage(run, 'in-progress', {
      ...stage,
      ...result,
      finishedAt: finishedAt.toISOString(),
    });
  }
}
