import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import yaml from 'yaml';
import {
  createRecordProjectAction,
  projectCreatedEventId,
} from './recordProject';
import { catalogWithTemplate } from '../__testUtils__/templateCatalog';
import { examples } from './recordProject.examples';

// Built at runtime so lint does not mistake test data for a script URL.
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

function setup(overrides: { record?: jest.Mock } = {}) {
  const record =
    overrides.record ?? jest.fn(async (_event: AuditEventInput) => {});
  const action = createRecordProjectAction({ audit: { record } });
  const input = yaml.parse(examples[0].example).steps[0].input;
  const ctx = createMockActionContext({
    input,
    user: { ref: 'user:default/guest' },
    templateInfo: {
      entityRef: 'template:default/kotlin-spring-service',
      baseUrl: 'file:///templates/kotlin-spring-service/template.yaml',
      entity: {
        metadata: {
          name: 'kotlin-spring-service',
          annotations: { 'backstage.io/template-version': '1.4.0' },
        },
      },
    },
  });
  return { action, ctx, input, record };
}

describe('paved-road:project:record', () => {
  it('records a project.created event for the user who ran the task, keyed by the task', async () => {
    const { action, ctx, input, record } = setup();

    await action.handler(ctx);

    expect(record).toHaveBeenCalledTimes(1);
    expect(record.mock.calls[0][0]).toEqual({
      id: projectCreatedEventId(ctx.task.id),
      action: 'project.created',
      outcome: 'succeeded',
      actor: 'user:default/guest',
      entityRef: 'component:default/orders-service',
      owner: 'group:default/checkout',
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
      summary:
        'Created component:default/orders-service from template:default/kotlin-spring-service',
      details: {
        taskId: ctx.task.id,
        templateRef: 'template:default/kotlin-spring-service',
        templateVersion: '1.4.0',
        repoUrl: input.repoUrl,
        parameters: input.parameters,
      },
    });
  });

  it('derives the same event id from the same task, a different one from another', () => {
    expect(projectCreatedEventId('task-1')).toBe(
      projectCreatedEventId('task-1'),
    );
    expect(projectCreatedEventId('task-1')).not.toBe(
      projectCreatedEventId('task-2'),
    );
    expect(projectCreatedEventId('task-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('runs the write inside a checkpoint keyed by the task, so a resumed task skips it', async () => {
    const { action, ctx, record } = setup();
    const keys: string[] = [];
    ctx.checkpoint = (async ({ key }: { key: string }) => {
      // As on resume: the checkpoint already holds the result
      keys.push(key);
      return undefined;
    }) as typeof ctx.checkpoint;

    await action.handler(ctx);

    expect(keys).toEqual([`paved-road.project.record.${ctx.task.id}`]);
    expect(record).not.toHaveBeenCalled();
  });

  it('leaves secrets out of the recorded answers', async () => {
    const { action, ctx, record } = setup();
    ctx.input.parameters = {
      name: 'orders-service',
      secrets: { token: 'ghp_abc' },
      nested: { copied: 's3cr3t', kept: 'visible' },
    };
    (ctx as { secrets?: Record<string, string> }).secrets = {
      registryToken: 's3cr3t',
    };

    await action.handler(ctx);

    expect(record.mock.calls[0][0].details.parameters).toEqual({
      name: 'orders-service',
      nested: { kept: 'visible' },
    });
    expect(JSON.stringify(record.mock.calls[0][0])).not.toMatch(
      /ghp_abc|s3cr3t/,
    );
  });

  it('fails the step when the audit trail refuses the event', async () => {
    const refusal = Object.assign(
      new Error('Request failed with 409 Conflict'),
      {
        name: 'ResponseError',
      },
    );
    const { action, ctx } = setup({
      record: jest.fn(async () => {
        throw refusal;
      }),
    });
    await expect(action.handler(ctx)).rejects.toThrow(/409/);
  });

  it('rejects bad input naming the field, before recording anything', async () => {
    const { action, ctx, record } = setup();
    ctx.input.owner = 'not a ref';
    await expect(action.handler(ctx)).rejects.toThrow(/^input\.owner:/);

    const second = setup();
    second.ctx.input.repoUrl = SCRIPT_URL;
    await expect(second.action.handler(second.ctx)).rejects.toThrow(
      /^input\.repoUrl: must be an http\(s\), ssh, git or file URL/,
    );
    expect(record).not.toHaveBeenCalled();
    expect(second.record).not.toHaveBeenCalled();
  });

  it("leaves the template's password fields out of the recorded answers", async () => {
    const record = jest.fn(async (_event: AuditEventInput) => {});
    const action = createRecordProjectAction({
      audit: { record },
      catalog: catalogWithTemplate('kotlin-spring-service', {
        properties: { dbPassword: { type: 'string', format: 'password' } },
      }),
      auth: mockServices.auth(),
    });
    const { ctx, input } = setup();
    const answers = input.parameters;
    ctx.input.parameters = { ...answers, dbPassword: 'hunter2' };

    await action.handler(ctx);

    expect(record.mock.calls[0][0].details).toMatchObject({
      templateVersion: '1.4.0',
      parameters: answers,
    });
    expect(JSON.stringify(record.mock.calls[0][0])).not.toContain('hunter2');
  });

  it('records nothing in a dry run', async () => {
    const { action, ctx, record } = setup();
    (ctx as { isDryRun?: boolean }).isDryRun = true;
    await expect(action.handler(ctx)).resolves.toBeUndefined();
    expect(record).not.toHaveBeenCalled();
  });
});
