import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@paved-road/plugin-local-git-node';
import yaml from 'yaml';
import { createRegisterCatalogInfoAction } from './registerCatalogInfo';
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

function setup(config: object = {}) {
  const catalog = catalogServiceMock.mock();
  catalog.addLocation.mockImplementation(async ({ target, dryRun }) => ({
    location: { id: 'loc-1', type: 'url', target, entityRef: LOCATION_REF },
    entities: dryRun ? entities : [],
  }));
  const auth = mockServices.auth();
  const action = createRegisterCatalogInfoAction({
    catalog,
    auth,
    config: new ConfigReader(config),
    repositories: new LocalGitRepositories({
      directory: '/nonexistent',
      baseUrl: 'http://localhost:7007/api/local-git',
    }),
  });
  return { catalog, action };
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
    const { action } = setup({ pavedRoad: { publish: { target: 'github' } } });
    const url = 'https://github.com/acme/orders/blob/main/catalog-info.yaml';
    const ctx = createMockActionContext({ input: { catalogInfoUrl: url } });
    await action.handler(ctx);
    expect(outputsOf(ctx).catalogInfoUrl).toBe(url);
    const local = createMockActionContext({ input: { catalogInfoUrl: URL } });
    await expect(action.handler(local)).rejects.toThrow(
      /under https:\/\/github.com\//,
    );
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
