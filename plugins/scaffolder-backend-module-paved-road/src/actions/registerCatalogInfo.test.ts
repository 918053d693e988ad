import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import yaml from 'yaml';
import { AuditEventInput } from '@paved-road/plugin-paved-road-common';
import {
  createRegisterCatalogInfoAction,
  templateRegisteredEventId,
} from './registerCatalogInfo';
import { examples } from './registerCatalogInfo.examples';

const URL =
  'http://localhost:7007/api/local-git/orders-service/raw/main/catalog-info.yaml';

const LOCATION_REF = 'location:default/generated-abc';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'generated-abc' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'orders-api', namespace: 'default' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', namespace: 'default' },
  },
];

// What the template-of-templates publishes: a Location whose target is
// the new template.yaml (the catalog's dry run follows it).
const TEMPLATE_URL =
  'http://localhost:7007/api/local-git/team-template/raw/main/catalog-info.yaml';
const templateEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'generated-def' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: { name: 'team-template', namespace: 'default' },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'team-template',
      namespace: 'default',
      title: 'Team template',
      annotations: { 'paved-road.io/cost-center': 'CC-1001' },
    },
    spec: { owner: 'checkout', type: 'service' },
  },
];

function setup(
  config: object = {},
  held: Entity[] = entities,
  locationCreate:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const catalog = catalogServiceMock.mock();
  catalog.addLocation.mockImplementation(async ({ target, dryRun }) => ({
    location: { id: 'loc-1', type: 'url', target, entityRef: LOCATION_REF },
    entities: dryRun ? held : [],
  }));
  const auth = mockServices.auth();
  const record = jest.fn(async (_event: AuditEventInput) => {});
  const action = createRegisterCatalogInfoAction({
    catalog,
    auth,
    config: new ConfigReader({
      pavedRoad: { publish: { target: 'local-git' } },
      ...config,
    }),
    repositories: new LocalGitRepositories({
      directory: '/nonexistent',
      baseUrl: 'http://localhost:7007/api/local-git',
    }),
    audit: { record },
    permissions: mockServices.permissions({ result: locationCreate }),
  });
  return { catalog, action, record };
}

function outputsOf(ctx: ReturnType<typeof createMockActionContext>) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('paved-road:catalog:register', () => {
  it("registers the URL with the scaffolder's own credentials, not the user's", async () => {
    const { catalog, action } = setup();
    const ctx = createMockActionContext({ input: { catalogInfoUrl: URL } });
    await action.handler(ctx);

    expect(catalog.addLocation).toHaveBeenCalledWith(
      { type: 'url', target: URL },
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    );
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'component:default/orders-service',
      catalogInfoUrl: URL,
    });
  });

  it('reuses the location a crashed earlier attempt registered', async () => {
    const { catalog, action } = setup();
    catalog.addLocation.mockImplementation(async ({ target, dryRun }) => {
      if (!dryRun)
        throw new ConflictError(`Location url:${target} already exists`);
      return {
        location: { id: 'x', type: 'url', target, entityRef: LOCATION_REF },
        entities,
      };
    });
    catalog.getLocations.mockResolvedValue({
      items: [
        {
          id: 'other',
          type: 'url',
          target: 'http://elsewhere/c.yaml',
          entityRef: 'location:default/other',
        },
        { id: 'loc-7', type: 'url', target: URL, entityRef: LOCATION_REF },
      ],
    });
    const ctx = createMockActionContext({ input: { catalogInfoUrl: URL } });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);

    expect(info).toHaveBeenCalledWith(`Reused location loc-7 for ${URL}`);
    expect(outputsOf(ctx).entityRef).toBe('component:default/orders-service');
  });

  it('registers once when a recovered task replays the step', async () => {
    const { catalog, action } = setup();
    const checkpoints = new Map<string, unknown>();
    for (let attempt = 0; attempt < 2; attempt++) {
      const ctx = createMockActionContext({ input: { catalogInfoUrl: URL } });
      ctx.checkpoint = (async ({ key, fn }: any) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      expect(outputsOf(ctx).entityRef).toBe('component:default/orders-service');
    }
    const real = catalog.addLocation.mock.calls.filter(([l]) => !l.dryRun);
    expect(real).toHaveLength(1);
  });

  it('records no audit event for a location without a Template', async () => {
    const { action, record } = setup();
    const ctx = createMockActionContext({
      input: { catalogInfoUrl: URL },
      user: { ref: 'user:default/guest' },
    });
    await action.handler(ctx);
    expect(record).not.toHaveBeenCalled();
  });

  describe('registering a Template', () => {
    const templateInfo = {
      entityRef: 'template:default/paved-road-template',
      baseUrl: 'file:///templates/paved-road-template/template.yaml',
    };

    it('refuses a user the policy does not let register locations, before anything is written', async () => {
      const { catalog, action, record } = setup(
        {},
        templateEntities,
        AuthorizeResult.DENY,
      );
      const ctx = createMockActionContext({
        input: { catalogInfoUrl: TEMPLATE_URL },
        user: { ref: 'user:default/guest' },
        templateInfo,
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        'Not allowed: catalog.location.create (registering a Template)',
      );
      expect(catalog.addLocation).toHaveBeenCalledTimes(1);
      expect(catalog.addLocation).toHaveBeenCalledWith(
        expect.objectContaining({ dryRun: true }),
        expect.anything(),
      );
      expect(record).not.toHaveBeenCalled();
    });

    it('records template.registered for the user who ran the task, after registering', async () => {
      const { catalog, action, record } = setup({}, templateEntities);
      const order: string[] = [];
      catalog.addLocation.mockImplementation(async ({ target, dryRun }) => {
        order.push(dryRun ? 'dry-run' : 'register');
        return {
          location: { id: 'loc-2', type: 'url', target, entityRef: '' },
          entities: dryRun ? templateEntities : [],
        };
      });
      record.mockImplementation(async () => {
        order.push('audit');
      });
      const ctx = createMockActionContext({
        input: { catalogInfoUrl: TEMPLATE_URL },
        user: { ref: 'user:default/carol' },
        templateInfo,
      });
      await action.handler(ctx);

      expect(order).toEqual(['dry-run', 'register', 'audit']);
      expect(record).toHaveBeenCalledTimes(1);
      expect(record.mock.calls[0][0]).toEqual({
        id: templateRegisteredEventId(
          ctx.task.id,
          'template:default/team-template',
        ),
        action: 'template.registered',
        outcome: 'succeeded',
        actor: 'user:default/carol',
        entityRef: 'template:default/team-template',
        owner: 'group:default/checkout',
        // Not on the definition: left for the audit backend to fill
        businessUnit: undefined,
        costCenter: 'CC-1001',
        summary:
          'Registered template:default/team-template from template:default/paved-road-template',
        details: {
          taskId: ctx.task.id,
          catalogInfoUrl: TEMPLATE_URL,
          templateRef: 'template:default/paved-road-template',
          title: 'Team template',
        },
      });
      // The Template, not its Location, is what the task links to
      expect(outputsOf(ctx).entityRef).toBe('template:default/team-template');
    });

    it('derives the event id from the task and the template', () => {
      const id = templateRegisteredEventId('task-1', 'template:default/a');
      expect(templateRegisteredEventId('task-1', 'template:default/a')).toBe(
        id,
      );
      expect(
        templateRegisteredEventId('task-2', 'template:default/a'),
      ).not.toBe(id);
      expect(
        templateRegisteredEventId('task-1', 'template:default/b'),
      ).not.toBe(id);
      expect(id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('records the event inside the checkpoint, so a resumed task neither registers nor records again', async () => {
      const { catalog, action, record } = setup({}, templateEntities);
      const checkpoints = new Map<string, unknown>();
      for (let attempt = 0; attempt < 2; attempt++) {
        const ctx = createMockActionContext({
          input: { catalogInfoUrl: TEMPLATE_URL },
          user: { ref: 'user:default/carol' },
          templateInfo,
        });
        ctx.checkpoint = (async ({ key, fn }: any) => {
          if (!checkpoints.has(key)) checkpoints.set(key, await fn());
          return checkpoints.get(key);
        }) as typeof ctx.checkpoint;
        await action.handler(ctx);
      }
      expect(record).toHaveBeenCalledTimes(1);
      const real = catalog.addLocation.mock.calls.filter(([l]) => !l.dryRun);
      expect(real).toHaveLength(1);
    });

    it('fails the step when the audit trail refuses the event, and a retry sends the same event', async () => {
      const { action, record } = setup({}, templateEntities);
      record.mockRejectedValueOnce(new Error('paved-road answered 503'));
      const run = () =>
        action.handler(
          createMockActionContext({
            input: { catalogInfoUrl: TEMPLATE_URL },
            user: { ref: 'user:default/carol' },
            templateInfo,
            task: { id: 'task-42' },
          }),
        );
      await expect(run()).rejects.toThrow('paved-road answered 503');
      await run();
      expect(record).toHaveBeenCalledTimes(2);
      expect(record.mock.calls[0][0].id).toBe(record.mock.calls[1][0].id);
    });

    it('registers nothing when no user ran the task', async () => {
      const { catalog, action, record } = setup({}, templateEntities);
      const ctx = createMockActionContext({
        input: { catalogInfoUrl: TEMPLATE_URL },
      });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('needs the user'),
      });
      const real = catalog.addLocation.mock.calls.filter(([l]) => !l.dryRun);
      expect(real).toHaveLength(0);
      expect(record).not.toHaveBeenCalled();
    });
  });

  it('passes on other catalog errors', async () => {
    const { catalog, action } = setup();
    catalog.addLocation.mockRejectedValue(new Error('catalog down'));
    const ctx = createMockActionContext({ input: { catalogInfoUrl: URL } });
    await expect(action.handler(ctx)).rejects.toThrow('catalog down');
  });

  it.each([
    'https://evil.example.com/catalog-info.yaml',
    'http://localhost:7007/api/local-gitx/a/raw/main/catalog-info.yaml',
    'http://localhost:7007/api/local-git/../catalog/x.yaml',
    'http://localhost:7007/api/local-git/a/raw/main/catalog-info.yaml?x=1',
    'http://localhost:7007/api/local-git/a/raw/main/script.sh',
    'not a url',
  ])('refuses %s, registering nothing', async url => {
    const { catalog, action } = setup();
    const ctx = createMockActionContext({ input: { catalogInfoUrl: url } });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('input.catalogInfoUrl'),
    });
    expect(catalog.addLocation).not.toHaveBeenCalled();
  });

  it('accepts GitHub URLs when publishing to GitHub', async () => {
    const { action } = setup({
      pavedRoad: { publish: { target: 'github', github: { owner: 'acme' } } },
      integrations: { github: [{ host: 'github.com', token: 'unused' }] },
    });
    const url = 'https://github.com/acme/orders/blob/main/catalog-info.yaml';
    const ctx = createMockActionContext({ input: { catalogInfoUrl: url } });
    await action.handler(ctx);
    expect(outputsOf(ctx).catalogInfoUrl).toBe(url);
    const local = createMockActionContext({ input: { catalogInfoUrl: URL } });
    await expect(action.handler(local)).rejects.toThrow(
      /under https:\/\/github.com\/acme\//,
    );
    // Another organisation's repository is not one this task published.
    const elsewhere = createMockActionContext({
      input: {
        catalogInfoUrl:
          'https://github.com/other/repo/blob/main/catalog-info.yaml',
      },
    });
    await expect(action.handler(elsewhere)).rejects.toThrow(InputError);
  });

  it('registers nothing in a dry run', async () => {
    const { catalog, action } = setup();
    const ctx = createMockActionContext({ input: { catalogInfoUrl: URL } });
    await action.handler({ ...ctx, isDryRun: true });
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(outputsOf(ctx)).toEqual({ catalogInfoUrl: URL });
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'example: %s',
    async (_description, example) => {
      const { catalog, action } = setup();
      const step = yaml.parse(example).steps[0];
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({ input: step.input });
      await action.handler(ctx);
      expect(catalog.addLocation).toHaveBeenCalledWith(
        { type: 'url', target: step.input.catalogInfoUrl },
        expect.anything(),
      );
    },
  );
});
