import { Command } from 'commander';
import { Context } from '../lib/context';
import { CliError, EXIT, usageError } from '../lib/errors';
import { shortTime } from '../lib/output';
import { Action, examples } from './shared';

export type TaskEvent = {
  id: number;
  taskId: string;
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt: string;
  body: {
    message?: string;
    stepId?: string;
    status?: 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';
    output?: TaskOutput;
    error?: { message?: string };
  };
};

export type TaskOutput = {
  links?: Array<{ title?: string; url?: string; entityRef?: string }>;
  text?: Array<{ title?: string; content?: string }>;
  [key: string]: unknown;
};

export type Task = {
  id: string;
  status: string;
  createdAt: string;
  createdBy?: string;
  lastHeartbeatAt?: string;
  spec: {
    steps: Array<{ id: string; name?: string; action: string }>;
    templateInfo?: { entityRef?: string };
  };
};

const FINISHED = ['completed', 'failed', 'cancelled'];

export type StepState = {
  id: string;
  name: string;
  status:
    | 'pending'
    | 'processing'
    | 'completed'
    | 'failed'
    | 'skipped'
    | 'cancelled';
  /** For a failed step: its error, without stack frames. */
  message?: string;
};

// The scaffolder's task logger colours its lines for a terminal.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * A step's error as one readable message: the scaffolder logs the
 * error's stack; the frames (`    at …`) and the `Error:` prefix go.
 */
export function cleanStepError(message: string): string {
  return message
    .replace(ANSI_ESCAPE, '')
    .split('\n')
    .filter(line => !/^\s+at\s/.test(line) && line.trim() !== '')
    .join('\n')
    .replace(/^(\w*Error|Error): /, '')
    .trim();
}

function stepName(task: Task, stepId: string): string {
  const step = task.spec.steps.find(s => s.id === stepId);
  return step?.name ?? stepId;
}

/**
 * Follows a task's events (`GET /v2/tasks/:id/events?after=`, which waits
 * for the next ones) until it finishes, printing each step as it starts
 * and ends. Resolves with the finished task, its steps and its output.
 */
export async function followTask(
  ctx: Context,
  taskId: string,
  options: { verbose?: boolean; fromStart?: boolean } = {},
): Promise<{
  task: Task;
  steps: StepState[];
  output: TaskOutput | null;
  events: TaskEvent[];
}> {
  const { out } = ctx;
  let task = await ctx.client.get<Task>(
    `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
  );
  const steps: StepState[] = task.spec.steps.map(s => ({
    id: s.id,
    name: s.name ?? s.id,
    status: 'pending',
  }));
  const events: TaskEvent[] = [];
  let lastLineWasStart: string | undefined;
  let output: TaskOutput | null = null;
  let after: number | undefined;

  const print = (text: string, replacing?: string) => {
    if (replacing && lastLineWasStart === replacing) out.replaceProgress(text);
    else out.progress(text);
    lastLineWasStart = undefined;
  };

  for (;;) {
    const batch = await ctx.client.get<TaskEvent[]>(
      `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}/events`,
      { query: { after }, timeoutMs: 45_000 },
    );
    let completed = false;
    for (const event of batch) {
      after = event.id;
      events.push(event);
      const { stepId, status, message = '' } = event.body;
      const step = stepId ? steps.find(s => s.id === stepId) : undefined;
      if (event.type === 'completion' || event.type === 'cancelled') {
        completed = true;
        output = event.body.output ?? output;
        continue;
      }
      if (!step || !status) {
        if (options.verbose && message) {
          print(out.styleProgress('dim', `      ${cleanStepError(message)}`));
        }
        continue;
      }
      const name = stepName(task, step.id);
      switch (status) {
        case 'processing':
          step.status = 'processing';
          if (out.live) {
            print(`  ${out.styleProgress('cyan', '▸')} ${name}`);
            lastLineWasStart = step.id;
          }
          break;
        // No per-step durations: event times have whole seconds on SQLite.
        case 'completed':
          step.status = 'completed';
          print(`  ${out.styleProgress('green', '✔')} ${name}`, step.id);
          break;
        case 'skipped':
          step.status = 'skipped';
          print(
            `  ${out.styleProgress('dim', `- ${name} (skipped)`)}`,
            step.id,
          );
          break;
        case 'failed':
          step.status = 'failed';
          step.message = cleanStepError(message);
          print(`  ${out.styleProgress('red', '✖')} ${name}`, step.id);
          for (const line of step.message.split('\n')) {
            print(`      ${out.styleProgress('red', line)}`);
          }
          break;
        case 'cancelled':
          step.status = 'cancelled';
          print(
            `  ${out.styleProgress('yellow', '✖')} ${name} (cancelled)`,
            step.id,
          );
          break;
        default:
          if (options.verbose && message) {
            print(out.styleProgress('dim', `      ${cleanStepError(message)}`));
          }
      }
    }
    if (completed || batch.length === 0) {
      task = await ctx.client.get<Task>(
        `/api/scaffolder/v2/tasks/${encodeURIComponent(taskId)}`,
      );
      // A recovered task carries on after its completion event.
      if (FINISHED.includes(task.status)) break;
    }
  }
  return { task, steps, output, events };
}

export function registerTaskCommands(program: Command, action: Action) {
  const tasks = program
    .command('tasks')
    .description('Scaffolder tasks: what `create` started, and why one failed');

  examples(
    tasks
      .command('list')
      .description('Recent tasks, newest first')
      .option('--mine', 'only the tasks you started')
      .option(
        '--status <status>',
        'open, processing, completed, failed or cancelled',
      )
      .option('--limit <n>', 'at most this many', '20'),
    [
      'paved-road tasks list --mine',
      'paved-road tasks list --status failed --output json',
    ],
  ).action(
    action(
      async (
        ctx,
        options: { mine?: boolean; status?: string; limit: string },
      ) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
          throw usageError('--limit: a whole number from 1 to 500');
        }
        let createdBy: string | undefined;
        if (options.mine) {
          const info = await ctx.client.get<{ claims?: { sub?: string } }>(
            '/api/auth/v1/userinfo',
          );
          createdBy = info.claims?.sub;
        }
        const body = await ctx.client.get<{
          tasks: Task[];
          totalTasks?: number;
        }>('/api/scaffolder/v2/tasks', {
          query: {
            createdBy,
            status: options.status,
            limit,
            order: 'desc:created_at',
          },
        });
        const items = body.tasks.map(t => ({
          id: t.id,
          status: t.status,
          template: t.spec.templateInfo?.entityRef ?? null,
          createdBy: t.createdBy ?? null,
          createdAt: t.createdAt,
          lastHeartbeatAt: t.lastHeartbeatAt ?? null,
        }));
        if (ctx.out.json) return ctx.out.printJson({ items });
        ctx.out.table(
          ['ID', 'STATUS', 'TEMPLATE', 'BY', 'CREATED'],
          items.map(t => [
            t.id,
            t.status,
            t.template,
            t.createdBy,
            shortTime(t.createdAt),
          ]),
        );
        return undefined;
      },
    ),
  );

  examples(
    tasks
      .command('logs')
      .description(
        "A task's steps and full log; the failing step's error is shown without stack traces. Follows it while it runs.",
      )
      .argument('<task-id>', 'the id `create` printed'),
    [
      'paved-road tasks logs 1f0c…',
      'paved-road tasks logs 1f0c… --output json',
    ],
  ).action(
    action(async (ctx, taskId: string) => {
      if (!/^[A-Za-z0-9-]{1,64}$/.test(taskId)) {
        throw usageError(`task-id: '${taskId}' is not a task id`);
      }
      let followed;
      try {
        if (!ctx.out.json) ctx.out.line(`Task ${taskId}`);
        followed = await followTask(ctx, taskId, { verbose: true });
      } catch (error) {
        if (error instanceof CliError && error.exitCode === EXIT.notFound) {
          throw new CliError(`No task ${taskId} in ${ctx.url}`, EXIT.notFound);
        }
        throw error;
      }
      const { task, steps, events } = followed;
      if (ctx.out.json) {
        ctx.out.printJson({
          taskId: task.id,
          status: task.status,
          template: task.spec.templateInfo?.entityRef ?? null,
          createdBy: task.createdBy ?? null,
          steps,
          events: events.map(e => ({
            at: e.createdAt,
            type: e.type,
            stepId: e.body.stepId ?? null,
            status: e.body.status ?? null,
            message: e.body.message ? cleanStepError(e.body.message) : null,
          })),
        });
      } else {
        ctx.out.line(`Status: ${task.status}`);
      }
      return task.status === 'completed' ? EXIT.ok : EXIT.failed;
    }),
  );
}
