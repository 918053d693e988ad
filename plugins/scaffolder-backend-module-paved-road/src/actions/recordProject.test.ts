import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { createRecordProjectAction } from './recordProject';
import { examples } from './recordProject.examples';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const discovery = mockServices.discovery();
let CATALOG: string;
beforeAll(async () => {
  CATALOG = await discovery.getBaseUrl('catalog');
});

function setup() {
  const action = createRecordProjectAction({
    auth: mockServices.auth(),
    discovery,
  });
  const input = yaml.parse(examples[0].example).steps[0].input;
  const ctx = createMockActionContext({
    input,
    user: { ref: 'user:default/guest' },
    templateInfo: {
      entityRef: 'template:default/kotlin-spring-service',
      baseUrl: 'file:///templates/kotlin-spring-service/template.yaml',
    },
  });
  return { action, ctx, input };
}

describe('paved-road:project:record', () => {
  it('posts the record with the task, the user and the template, as the scaffolder', async () => {
    const received: { body: any; auth: string | null }[] = [];
    server.use(
      http.post(`${CATALOG}/paved-road/audit/projects`, async ({ request }) => {
        received.push({
          body: await request.json(),
          auth: request.headers.get('authorization'),
        });
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const { action, ctx, input } = setup();

    await action.handler(ctx);

    expect(received).toHaveLength(1);
    expect(received[0].body).toEqual({
      ...input,
      taskId: ctx.task.id,
      createdBy: 'user:default/guest',
      templateRef: 'template:default/kotlin-spring-service',
    });
    expect(received[0].auth).toMatch(/^Bearer /);
  });

  it('fails the step when the catalog refuses the record', async () => {
    server.use(
      http.post(`${CATALOG}/paved-road/audit/projects`, () =>
        HttpResponse.json(
          { error: { name: 'ConflictError', message: 'different values' } },
          { status: 409 },
        ),
      ),
    );
    const { action, ctx } = setup();
    await expect(action.handler(ctx)).rejects.toThrow(/409/);
  });

  it('rejects bad input naming the field, before any request', async () => {
    const { action, ctx } = setup();
    ctx.input.owner = 'not a ref';
    await expect(action.handler(ctx)).rejects.toThrow(/^input\.owner:/);
  });

  it('writes nothing in a dry run', async () => {
    const { action, ctx } = setup();
    (ctx as any).isDryRun = true;
    // onUnhandledRequest: 'error' fails the test on any request.
    await expect(action.handler(ctx)).resolves.toBeUndefined();
  });
});
