import { execFileSync } from 'node:child_process';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  isolatedGitEnv,
  LocalGitRepositories,
} from '@paved-road/plugin-local-git-node';
import { DEFAULT_DEPLOYMENT_SETTINGS } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import yaml from 'yaml';
import {
  deploymentsBackend,
  deploymentsConfig,
  permissionsDenying,
  RecordingDeploymentProvider,
} from '../__testUtils__/deployments';
import { createStartDeploymentAction } from './startDeployment';
import { examples } from './startDeployment.examples';

jest.setTimeout(60_000);

const LOCAL_GIT_BASE_URL = 'http://localhost:7007/api/local-git';
const ENTITY_REF = 'component:default/orders-service';
const ALICE = 'user:default/alice';
/** The environment whose deployment the provider holds until the end. */
const HELD = 'busy';

/** The Component as the catalog serves it once it has read the repository. */
const ordersService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-service',
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:${LOCAL_GIT_BASE_URL}/orders-service/raw/main/catalog-info.yaml`,
      'paved-road.io/deployment': 'deploy/paved-road.yaml',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/checkout',
  },
};

/** deploy/paved-road.yaml as the template writes it with the form's defaults. */
const settings = {
  apiVersion: 'paved-road.io/v1',
  kind: 'DeploymentSettings',
  metadata: { name: 'orders-service' },
  spec: DEFAULT_DEPLOYMENT_SETTINGS,
};

describe('paved-road:deployment:start against the deployments backend', () => {
  const mockDir = createMockDirectory();
  const provider = new RecordingDeploymentProvider();
  let denied: string[] = [];
  let backend: { server: Server; stop: () => Promise<void> };
  let headCommit: string;

  const baseUrlOf = (server: Server) =>
    `http://localhost:${(server.address() as AddressInfo).port}`;

  /** A backend with the deployments plugin: `provider` unset means none. */
  const startDeployments = (providerId: string | undefined) =>
    startTestBackend({
      features: [
        ...deploymentsBackend(providerId ? provider : undefined),
        mockServices.rootConfig.factory({
          data: {
            pavedRoad: {
              localGit: {
                directory: mockDir.resolve('git'),
                baseUrl: LOCAL_GIT_BASE_URL,
              },
            },
            deployments: deploymentsConfig(providerId, [
              'production',
              'staging',
              'qa',
              'recovery',
              'denied',
              'quiet',
              HELD,
            ]),
          },
        }),
        catalogServiceMock.factory({ entities: [ordersService] }),
        permissionsDenying(() => denied),
      ],
    });

  beforeAll(async () => {
    // The project as paved-road:publish leaves it: one commit.
    mockDir.setContent({
      'source/catalog-info.yaml': yaml.stringify(ordersService),
      'source/deploy/paved-road.yaml': yaml.stringify(settings),
    });
    const created = await new LocalGitRepositories({
      directory: mockDir.resolve('git'),
      baseUrl: LOCAL_GIT_BASE_URL,
    }).createRepository({
      name: 'orders-service',
      sourceDir: mockDir.resolve('source'),
      author: { name: 'Alice', email: 'alice@example.com' },
      taskId: 'task-1',
    });
    headCommit = created.commitHash;
    // The tag the second example deploys.
    execFileSync(
      'git',
      [
        '--git-dir',
        mockDir.resolve('git/orders-service.git'),
        'tag',
        'v1.0.0',
        headCommit,
      ],
      { env: isolatedGitEnv() },
    );
    backend = await startDeployments(provider.id);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  beforeEach(() => {
    denied = [];
    provider.holding = false;
  });

  // One unfinished deployment per environment: let each test's finish.
  afterEach(async () => {
    for (let i = 0; i < 200; i++) {
      const unfinished = (await deploymentsOf(backend.server)).filter(
        d => !d.finishedAt && d.environment !== HELD,
      );
      if (unfinished.length === 0) return;
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error('deployments did not finish');
  });

  /** The action as the module builds it, calling `server`. */
  function setup(
    input: { entityRef: string; ref?: string; environment?: string },
    server: Server = backend.server,
    pluginPath = 'deployments',
  ) {
    const auth = mockServices.auth({ pluginId: 'scaffolder' });
    const getPluginRequestToken = jest.spyOn(auth, 'getPluginRequestToken');
    const action = createStartDeploymentAction({
      auth,
      discovery: mockServices.discovery.mock({
        getBaseUrl: async pluginId =>
          `${baseUrlOf(server)}/api/${
            pluginId === 'deployments' ? pluginPath : pluginId
          }`,
      }),
    });
    const initiator = mockCredentials.user(ALICE);
    const ctx = createMockActionContext({ input });
    ctx.getInitiatorCredentials = async () => initiator;
    return { action, ctx, initiator, getPluginRequestToken };
  }

  const outputs = (ctx: { output: unknown }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  async function deploymentsOf(server: Server) {
    const res = await request(server)
      .get(
        '/api/deployments/entities/default/component/orders-service/deployments',
      )
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.status).toBe(200);
    return res.body.items as Array<{
      id: string;
      environment: string;
      finishedAt: string | null;
    }>;
  }

  it('starts a deployment as the user who runs the task and links to it', async () => {
    const { action, ctx, initiator, getPluginRequestToken } = setup({
      entityRef: ENTITY_REF,
    });

    await action.handler(ctx);

    expect(getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: initiator,
      targetPluginId: 'deployments',
    });
    const { deploymentId, status, url } = outputs(ctx);
    expect(deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(status).toBe('pending');
    expect(url).toBe(
      `/catalog/default/component/orders-service/deployments?deployment=${deploymentId}`,
    );
    const res = await request(backend.server)
      .get(`/api/deployments/deployments/${deploymentId}`)
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.body).toMatchObject({
      entityRef: ENTITY_REF,
      environment: 'production',
      ref: 'main',
      commitSha: headCommit,
      triggeredBy: ALICE,
      kind: 'deploy',
    });
  });

  it('passes ref and environment on', async () => {
    const { action, ctx } = setup({
      entityRef: ENTITY_REF,
      ref: headCommit,
      environment: 'qa',
    });

    await action.handler(ctx);

    const res = await request(backend.server)
      .get(`/api/deployments/deployments/${outputs(ctx).deploymentId}`)
      .set('Authorization', mockCredentials.user.header(ALICE));
    expect(res.body).toMatchObject({
      environment: 'qa',
      ref: headCommit,
      commitSha: headCommit,
    });
  });

  it('starts no second deployment when the step runs again with its checkpoint', async () => {
    // Stores checkpoint results the way the task engine does across restarts.
    const checkpoints = new Map<string, unknown>();
    const run = async () => {
      const { action, ctx } = setup({
        entityRef: ENTITY_REF,
        environment: 'recovery',
      });
      ctx.checkpoint = (async ({ key, fn }: any) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      return outputs(ctx);
    };

    const first = await run();
    const second = await run();

    expect(second).toEqual(first);
    const inRecovery = (await deploymentsOf(backend.server)).filter(
      d => d.environment === 'recovery',
    );
    expect(inRecovery.map(d => d.id)).toEqual([first.deploymentId]);
  });

  it('fails the step with the backend message when the user may not deploy', async () => {
    denied = ['deployments.deployment.create'];
    const { action, ctx } = setup({
      entityRef: ENTITY_REF,
      environment: 'denied',
    });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'Could not deploy component:default/orders-service: Not allowed: deployments.deployment.create. It can be deployed later from its Deployments tab.',
    });
    expect(ctx.output).not.toHaveBeenCalled();
    const inDenied = (await deploymentsOf(backend.server)).filter(
      d => d.environment === 'denied',
    );
    expect(inDenied).toEqual([]);
  });

  it('fails the step naming the field the backend refused', async () => {
    const { action, ctx } = setup({ entityRef: ENTITY_REF, ref: '--all' });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Could not deploy component:default/orders-service: ref: must be a branch, tag or commit name. It can be deployed later from its Deployments tab.',
    });
  });

  it('fails the step while another deployment of the entity runs', async () => {
    provider.holding = true;
    const first = setup({ entityRef: ENTITY_REF, environment: HELD });
    await first.action.handler(first.ctx);
    const runningId = outputs(first.ctx).deploymentId;

    // Another task: no checkpoint of the first.
    const second = setup({ entityRef: ENTITY_REF, environment: HELD });
    const error = await second.action.handler(second.ctx).catch(e => e);

    expect(error.name).toBe('ConflictError');
    expect(error.message).toMatch(
      new RegExp(
        `^Could not deploy component:default/orders-service: A deployment of component:default/orders-service to ${HELD} is (pending|in-progress) \\(${runningId}\\)`,
      ),
    );
  });

  it('fails the step for an entity the catalog does not have', async () => {
    const { action, ctx } = setup({ entityRef: 'component:default/ghost' });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'Could not deploy component:default/ghost: component:default/ghost not found in the catalog. It can be deployed later from its Deployments tab.',
    });
  });

  it('says deployments are not set up when no provider is configured (503)', async () => {
    const noProvider = await startDeployments(undefined);
    try {
      const { action, ctx } = setup(
        { entityRef: ENTITY_REF },
        noProvider.server,
      );
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message:
          'Deployments are not set up in this portal, so component:default/orders-service was not deployed: No deployment provider is configured: set deployments.provider (e.g. local) and add the backend module that provides it.',
      });
    } finally {
      await noProvider.stop();
    }
  });

  it('says deployments are not set up when the backend has no deployments plugin', async () => {
    // Nothing is mounted under this path, as in a backend without the plugin.
    const { action, ctx } = setup(
      { entityRef: ENTITY_REF },
      backend.server,
      'not-installed',
    );

    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Deployments are not set up in this portal, so component:default/orders-service was not deployed: the deployments backend (@paved-road/plugin-deployments-backend) is not installed.',
    });
  });

  it('rejects a malformed ref naming the field, before any request', async () => {
    const { action, ctx, getPluginRequestToken } = setup({
      entityRef: 'orders-service',
    });

    await expect(action.handler(ctx)).rejects.toThrow(
      /^input\.entityRef: "orders-service" is not an entity ref/,
    );
    expect(getPluginRequestToken).not.toHaveBeenCalled();
  });

  it('in a dry run, starts nothing and links to the Deployments tab', async () => {
    const { action, ctx, getPluginRequestToken } = setup({
      entityRef: 'Component:default/orders-service',
    });
    ctx.isDryRun = true;

    await action.handler(ctx);

    expect(outputs(ctx)).toEqual({
      url: '/catalog/default/component/orders-service/deployments',
    });
    expect(getPluginRequestToken).not.toHaveBeenCalled();
  });

  it('runs its examples', async () => {
    for (const example of examples) {
      const { input } = yaml.parse(example.example).steps[0];
      const { action, ctx } = setup(input);
      await action.handler(ctx);
      expect(outputs(ctx).url).toMatch(
        /^\/catalog\/default\/component\/orders-service\/deployments\?deployment=[0-9a-f-]{36}$/,
      );
    }
  });

  it('never logs the token', async () => {
    const { action, ctx, getPluginRequestToken } = setup({
      entityRef: ENTITY_REF,
      environment: 'quiet',
    });
    const logged: string[] = [];
    for (const level of ['info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(ctx.logger, level).mockImplementation(((
        ...args: unknown[]
      ) => {
        logged.push(
          args
            .map(a => (typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' '),
        );
        return ctx.logger;
      }) as any);
    }

    await action.handler(ctx);

    expect(getPluginRequestToken).toHaveBeenCalledTimes(1);
    expect(logged).toEqual([
      expect.stringMatching(
        /^Deployment [0-9a-f-]{36} of component:default\/orders-service to quiet is pending$/,
      ),
    ]);
    expect(logged.join('\n')).not.toMatch(/token/i);
  });
});
