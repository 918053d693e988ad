import type { DeploymentReporter } from '@paved-road/plugin-deployments-node';

export interface RecordedStage {
  name: string;
  error?: string;
}

/** Records stages and log lines; aborts when told to. */
export class TestReporter implements DeploymentReporter {
  readonly stages: RecordedStage[] = [];
  readonly lines: string[] = [];
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  /** Runs at the start of the named stage, before its work. */
  onStage: Record<string, () => void> = {};

  async stage<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const stage: RecordedStage = { name };
    this.stages.push(stage);
    this.onStage[name]?.();
    try {
      return await fn();
    } catch (error) {
      stage.error = (error as Error).message;
      throw error;
    }
  }

  log(line: string) {
    this.lines.push(line);
  }

  /** Aborts the way the engine does: `Cancelled by …` or a shutdown. */
  abort(reason: 'cancel' | 'shutdown') {
    this.controller.abort(
      new Error(
        reason === 'cancel'
          ? 'Cancelled by user:default/alice'
          : 'The backend is shutting down',
      ),
    );
  }

  get stageNames() {
    return this.stages.map(s => s.name);
  }
}
