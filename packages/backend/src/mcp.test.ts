import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { mockServices } from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import authPlugin from '@backstage/plugin-auth-backend';
import authModuleGuestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import authModuleSampleUsers from '@paved-road/plugin-auth-backend-module-sample-users-provider';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModulePavedRoad from '@paved-road/plugin-catalog-backend-module-paved-road';
import catalogModuleUnprocessed from '@backstage/plugin-catalog-backend-module-unprocessed';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModulePavedRoad from '@paved-road/plugin-scaffolder-backend-module-paved-road';
import pavedRoadPlugin from '@paved-road/plugin-paved-road-backend';
import deploymentsPlugin from '@paved-road/plugin-deployments-backend';
import deploymentsModuleLocal from '@paved-road/plugin-deployments-backend-module-local';
import costsPlugin from '@paved-road/plugin-costs-backend';
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModulePavedRoad from '@paved-road/plugin-permission-backend-module-paved-road';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * An MCP client against the embedded default: app-config.yaml with an
 * in-memory SQLite database, local git in a temporary directory and the
 * backend's own plugins, signed in as the guest (a Checkout developer).
 * With MCP_TRANSCRIPT=<file> it writes what it sent and what it got there
 * (docs/mcp.md quotes it).
 */

jest.setTimeout(90_000);

/** The plugins of src/index.ts the MCP tools reach, and the MCP plugin. */
const FEATURES = [
  authPlugin,
  authModuleGuestProvider,
  authModuleSampleUsers,
  catalogPlugin,
  catalogModuleTemplateKind,
  catalogModulePavedRoad,
  catalogModuleUnprocessed,
  scaffolderPlugin,
  scaffolderModulePavedRoad,
  pavedRoadPlugin,
  deploymentsPlugin,
  deploymentsModuleLocal,
  costsPlugin,
  localGitPlugin,
  permissionPlugin,
  permissionModulePavedRoad,
  mcpActionsPlugin,
];

const REPO_ROOT = path.resolve(__dirname, '../../..');
const NAME = 'mcp-demo';
const REF = `component:default/${NAME}`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, any>;
};

describe('MCP actions on the embedded default', () => {
  let backend: ReturnType<typeof createBackend>;
  let url: string;
  let dir: string;
  const transcript: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-road-mcp-'));
    url = `http://localhost:${port}`;
    // Layered over app-config.yaml as a second --config (JSON is YAML).
    const override = path.join(dir, 'app-config.test.yaml');
    fs.writeFileSync(
      override,
      JSON.stringify({
        backend: {
          baseUrl: url,
          listen: { port },
          database: { client: 'better-sqlite3', connection: ':memory:' },
          reading: {
            allow: [{ host: `localhost:${port}`, paths: ['/api/local-git/'] }],
          },
        },
        catalog: {
          processingInterval: { seconds: 2 },
          locations: [
            {
              type: 'file',
              target: path.join(REPO_ROOT, 'templates/sample-org/org.yaml'),
              rules: [{ allow: ['User', 'Group'] }],
            },
            {
              type: 'file',
              target: path.join(REPO_ROOT, 'examples/portal-users.yaml'),
              rules: [{ allow: ['User'] }],
            },
            {
              type: 'file',
              target: path.join(REPO_ROOT, 'templates/all.yaml'),
              rules: [{ allow: ['Location', 'Template'] }],
            },
          ],
        },
        deployments: {
          // app-config.yaml's path is relative to packages/backend; jest may
          // run from the repository root.
          sampleData: {
            file: path.join(REPO_ROOT, 'examples/deployments.yaml'),
          },
          local: { workDirectory: path.join(dir, 'deployments') },
          settings: { sync: { initialDelay: { seconds: 1 } } },
        },
        costs: {
          sources: [
            { id: 'none', type: 'focus-csv', path: path.join(dir, 'billing') },
          ],
        },
        pavedRoad: {
          localGit: { directory: path.join(dir, 'git'), publicRead: true },
        },
      }),
    );
    fs.mkdirSync(path.join(dir, 'billing'));

    backend = createBackend();
    backend.add(
      rootConfigServiceFactory({
        argv: [
          '--config',
          path.join(REPO_ROOT, 'app-config.yaml'),
          '--config',
          override,
        ],
        watch: false,
      }),
    );
    backend.add(mockServices.rootLogger.factory({ level: 'none' }));
    for (const feature of FEATURES) {
      backend.add(feature);
    }
    await backend.start();
  });

  afterAll(async () => {
    await backend?.stop();
    if (process.env.MCP_TRANSCRIPT) {
      fs.writeFileSync(process.env.MCP_TRANSCRIPT, transcript.join('\n'));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A token as the browser gets it: the embedded default's guest sign-in. */
  async function guestToken(): Promise<string> {
    const res = await fetch(`${url}/api/auth/guest/refresh`);
    return (await res.json()).backstageIdentity.token;
  }

  async function sampleUserToken(user: string): Promise<string> {
    const res = await fetch(`${url}/api/auth/sampleUsers/refresh`, {
      headers: { 'x-paved-road-sample-user': user },
    });
    return (await res.json()).backstageIdentity.token;
  }

  /** Resolves once the catalog serves each entity with its relations. */
  async function untilCatalogHas(refs: string[]) {
    const token = await guestToken();
    const deadline = Date.now() + 30_000;
    for (const ref of refs) {
      const [kind, rest] = ref.split(':');
      for (;;) {
        const res = await fetch(
          `${url}/api/catalog/entities/by-name/${kind}/${rest}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (res.ok && (await res.json()).relations?.length) break;
        if (Date.now() > deadline) throw new Error(`${ref} never appeared`);
        await new Promise(r => setTimeout(r, 250));
      }
    }
  }

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'paved-road-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/api/mcp-actions/v1`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  }

  async function call(
    client: Client,
    name: string,
    args: Record<string, unknown>,
  ): Promise<ToolResult> {
    const result = (await client.callTool({
      name,
      arguments: args,
    })) as ToolResult;
    transcript.push(
      `> tools/call ${name} ${JSON.stringify(args)}`,
      `< ${result.isError ? 'isError: ' : ''}${result.content
        .map(c => c.text)
        .join('\n')}`,
      '',
    );
    return result;
  }

  it('lists the paved road tools with their schemas, creates a Kotlin service as the guest and reads the project; another team may not change it', async () => {
    await untilCatalogHas([
      'user:default/guest',
      'user:default/carol',
      'group:default/checkout',
      'template:default/kotlin-spring-service',
    ]);
    // Signed in once the catalog knows the guest's team.
    const client = await connect(await guestToken());

    const { tools } = await client.listTools();
    const byName = new Map(tools.map(tool => [tool.name, tool]));
    transcript.push(
      '> tools/list',
      `< ${tools.map(t => t.name).join(', ')}`,
      '',
    );
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining([
        'paved-road.list-templates',
        'paved-road.create-project',
        'paved-road.get-project-creation-status',
        'paved-road.get-project',
        'paved-road.list-audit-events',
        'deployments.get-deployment-settings',
        'deployments.update-deployment-settings',
        'deployments.deploy-project',
        'deployments.get-deployment',
        'deployments.rollback-deployment',
        'costs.get-project-costs',
        'costs.get-cost-rollup',
        'catalog.get-catalog-entity',
        'scaffolder.execute-template',
      ]),
    );
    const create = byName.get('paved-road.create-project')!;
    expect(create.inputSchema).toMatchObject({
      type: 'object',
      properties: {
        template: { type: 'string', description: expect.any(String) },
        values: { type: 'object' },
      },
      required: ['template', 'values'],
    });
    expect(create.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(byName.get('paved-road.get-project')!.annotations).toMatchObject({
      readOnlyHint: true,
    });

    const templates = await call(client, 'paved-road.list-templates', {});
    const kotlin = templates.structuredContent!.templates.find(
      (t: any) => t.name === 'kotlin-spring-service',
    );
    expect(kotlin.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'name', required: true }),
        expect.objectContaining({
          name: 'javaVersion',
          default: '17',
          enum: ['17', '25'],
        }),
        expect.objectContaining({
          name: 'deployment.replicas',
          type: 'integer',
          default: 2,
        }),
      ]),
    );

    const missing = await call(client, 'paved-road.create-project', {
      template: 'kotlin-spring-service',
      values: { name: NAME },
    });
    expect(missing).toMatchObject({
      isError: true,
      content: [
        {
          text: 'InputError: values: template:default/kotlin-spring-service needs owner (Owning team, string)',
        },
      ],
    });
    const invalid = await call(client, 'paved-road.create-project', {
      template: 'kotlin-spring-service',
      values: { name: 'Orders_Service', owner: 'checkout' },
    });
    expect(invalid.isError).toBe(true);
    expect(invalid.content[0].text).toBe(
      'InputError: values: template:default/kotlin-spring-service does not accept these values: name: use 3 to 56 lower-case letters, digits and dashes, starting with a letter and not ending with a dash (e.g. orders-service); owner: pick a team (a Group entity ref such as group:default/checkout)',
    );

    const started = await call(client, 'paved-road.create-project', {
      template: 'kotlin-spring-service',
      values: { name: NAME, owner: 'group:default/checkout' },
    });
    expect(started.isError).toBeFalsy();
    const { taskId } = started.structuredContent!;
    expect(started.structuredContent!.values).toMatchObject({
      name: NAME,
      javaVersion: '17',
      deployment: { replicas: 2, rollout: { strategy: 'canary' } },
    });

    let status: ToolResult['structuredContent'];
    const deadline = Date.now() + 60_000;
    do {
      await new Promise(r => setTimeout(r, 500));
      status = (
        await client.callTool({
          name: 'paved-road.get-project-creation-status',
          arguments: { taskId },
        })
      ).structuredContent as Record<string, any>;
    } while (!status!.finished && Date.now() < deadline);
    await call(client, 'paved-road.get-project-creation-status', { taskId });
    expect(status).toMatchObject({
      status: 'completed',
      error: null,
      entityRef: REF,
      repoUrl: `${url}/api/local-git/${NAME}.git`,
    });
    expect(status!.steps.every((s: any) => s.status !== 'failed')).toBe(true);

    const project = await call(client, 'paved-road.get-project', {
      entityRef: REF,
    });
    expect(project.structuredContent).toMatchObject({
      entityRef: REF,
      owner: 'group:default/checkout',
      costCenter: expect.stringMatching(/^CC-\d+$/),
      businessUnit: expect.stringMatching(/^group:default\//),
      template: { ref: 'template:default/kotlin-spring-service' },
      repository: `${url}/api/local-git/${NAME}.git`,
      createdBy: 'user:default/guest',
      createdByTask: taskId,
      settings: {
        version: 1,
        summary: 'local, 2 × 500m CPU / 512 MiB, eu-west-1, canary 10%',
      },
      cost: { currency: 'EUR', estimateMonthly: expect.any(Number) },
    });

    // Carol is in another team: she may read the project, not change it.
    const carol = await connect(await sampleUserToken('carol'));
    const denied = await call(carol, 'deployments.update-deployment-settings', {
      entityRef: REF,
      settings: { replicas: 3 },
      message: 'Not my service',
    });
    expect(denied).toMatchObject({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'NotAllowedError: Not allowed: deployments.settings.update',
        },
      ],
    });
    const changed = await call(
      client,
      'deployments.update-deployment-settings',
      { entityRef: REF, settings: { replicas: 3 }, message: 'More replicas' },
    );
    expect(changed.structuredContent).toMatchObject({
      mode: 'commit',
      version: { version: 2, createdBy: 'user:default/guest' },
    });
    // The estimate follows the settings: 3 replicas instead of 2.
    const costs = await call(client, 'costs.get-project-costs', {
      entityRef: REF,
    });
    expect(costs.structuredContent!.estimate.monthlyTotal).toBeCloseTo(
      (project.structuredContent!.cost.estimateMonthly * 3) / 2,
      2,
    );
    await Promise.all([client.close(), carol.close()]);
  });
});
