import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { fetchFromPlugin } from '../hygiene/getFromPlugin';
import { typedError } from './pluginErrors';
import {
  describeValidationErrors,
  ScaffolderValidationError,
} from './templateParameters';

const TIMEOUT_MS = 30_000;
// The events route holds the request until a task has an event: a task not
// yet picked up has none, which is not worth waiting 30 s for.
const EVENTS_TIMEOUT_MS = 3_000;

type TaskEvent = {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  createdAt: string;
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: Record<string, unknown>;
    error?: { message?: string };
  };
};

type Task = {
  id: string;
  status: string;
  createdAt: string;
  createdBy?: string;
  spec: {
    steps: Array<{ id: string; name?: string; action: string }>;
    templateInfo?: { entityRef?: string };
  };
};

export type TaskLink = {
  title: string | null;
  url: string | null;
  entityRef: string | null;
};

export interface TaskStatus {
  taskId: string;
  status: string;
  finished: boolean;
  templateRef: string | null;
  createdBy: string | null;
  createdAt: string;
  steps: Array<{
    id: string;
    name: string;
    status: string;
    error: string | null;
  }>;
  error: string | null;
  repoUrl: string | null;
  entityRef: string | null;
  links: TaskLink[];
}

const FINISHED = ['completed', 'failed', 'cancelled'];

// The scaffolder's task logger colours its lines for a terminal.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function firstLine(message: string | undefined): string | null {
  return message?.replace(ANSI, '').split('\n')[0].trim() || null;
}

/**
 * Scaffolder tasks through the scaffolder's own API, as the calling user:
 * its parameter check, its `scaffolder.task.create` / `task.read`
 * permissions and its task ownership all apply.
 */
export class ScaffolderTasks {
  constructor(
    private readonly services: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  /** Starts a task; the scaffolder's 400 becomes an InputError per field. */
  async start(
    templateRef: string,
    values: Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const response = await this.request(credentials, '/v2/tasks', {
      templateRef,
      values,
    });
    if (response.status === 400) {
      const body = await response.json().catch(() => ({}));
      if (Array.isArray(body?.errors)) {
        const problems = describeValidationErrors(
          body.errors as ScaffolderValidationError[],
        );
        throw new InputError(
          `values: ${templateRef} does not accept these values: ${problems.join(
            '; ',
          )}`,
        );
      }
      throw new InputError(body?.error?.message ?? 'values: invalid');
    }
    if (!response.ok) {
      throw await typedError(response);
    }
    const { id } = (await response.json()) as { id: string };
    return id;
  }

  /** Where a task is: each step, and on completion what it made. */
  async status(
    taskId: string,
    credentials: BackstageCredentials,
  ): Promise<TaskStatus> {
    const path = `/v2/tasks/${encodeURIComponent(taskId)}`;
    const response = await this.request(credentials, path);
    if (!response.ok) {
      throw await typedError(response);
    }
    const task = (await response.json()) as Task;
    const events =
      task.status === 'open' ? [] : await this.events(credentials, path);

    const steps = task.spec.steps.map(step => {
      const logged = events.filter(e => e.body.stepId === step.id);
      const last = logged.filter(e => e.body.status).pop();
      const failed = last?.body.status === 'failed';
      return {
        id: step.id,
        name: step.name ?? step.action,
        status: last?.body.status ?? 'pending',
        error: failed
          ? firstLine(logged[logged.length - 1]?.body.message)
          : null,
      };
    });
    const completion = events.find(e => e.type === 'completion');
    const output = (completion?.body.output ?? {}) as {
      links?: Array<{ title?: string; url?: string; entityRef?: string }>;
    };
    const links: TaskLink[] = (output.links ?? []).map(link => ({
      title: link.title ?? null,
      url: link.url ?? null,
      entityRef: link.entityRef?.toLocaleLowerCase('en-US') ?? null,
    }));
    return {
      taskId: task.id,
      status: task.status,
      finished: FINISHED.includes(task.status),
      templateRef: task.spec.templateInfo?.entityRef ?? null,
      createdBy: task.createdBy ?? null,
      createdAt: task.createdAt,
      steps,
      error:
        task.status === 'failed'
          ? firstLine(
              completion?.body.error?.message ?? completion?.body.message,
            ) ??
            steps.find(s => s.error)?.error ??
            null
          : null,
      repoUrl:
        links.find(l => l.url && /repo/i.test(l.title ?? ''))?.url ??
        links.find(l => l.url?.endsWith('.git'))?.url ??
        null,
      entityRef: links.find(l => l.entityRef)?.entityRef ?? null,
      links,
    };
  }

  private async events(
    credentials: BackstageCredentials,
    path: string,
  ): Promise<TaskEvent[]> {
    try {
      const response = await fetchFromPlugin(this.services, {
        pluginId: 'scaffolder',
        path: `${path}/events`,
        onBehalfOf: credentials,
        timeoutMs: EVENTS_TIMEOUT_MS,
      });
      if (!response.ok) {
        throw await typedError(response);
      }
      return (await response.json()) as TaskEvent[];
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        return [];
      }
      throw error;
    }
  }

  private request(
    credentials: BackstageCredentials,
    path: string,
    body?: unknown,
  ) {
    return fetchFromPlugin(this.services, {
      pluginId: 'scaffolder',
      path,
      onBehalfOf: credentials,
      timeoutMs: TIMEOUT_MS,
      ...(body !== undefined ? { method: 'POST' as const, body } : {}),
    });
  }
}
