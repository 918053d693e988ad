import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { deploymentSettingsSchema } from '@paved-road/plugin-paved-road-common';
import request from 'supertest';
import {
  deploymentsBackend,
  deploymentsConfig,
  permissionsDenying,
  RecordingDeploymentProvider,
} from '../__testUtils__/deployments';
import { serviceCases } from './__testUtils__/cases';
import {
  embeddedConfig,
  JsonObject,
  loadTemplate,
  LoadedTemplate,
  mergeConfig,
  REPO_ROOT,
  Scaffolder,
  startScaffolder,
} from './__testUtils__/scaffolder';
import {
  auditTrailPlugin,
  runTask,
  templateInCatalog,
} from './__testUtils__/tasks';

jest.setTimeout(120_000);

/*
 * kotlin-spring-service's "Deploy after creation", run as real tasks: the
 * scaffolder with the Paved Road module, the local git hosting and the real
 * deployments backend in one test backend, with a provider that deploys
 * nothing.
 */
describe('kotlin-spring-service: Deploy after creation', () => {
  const provider = new RecordingDeploymentProvider();
  const audit: JsonObject[] = [];
  let denied: string[] = [];
  let scaffolder: Scaffolder;
  let gitDir: string;

  beforeAll(async () => {
    gitDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-git-'));
    const service: LoadedTemplate = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    scaffolder = await startScaffolder({
      config: mergeConfig(await embeddedConfig(), {
        pavedRoad: { localGit: { directory: gitDir } },
        deployments: deploymentsConfig(provider.id),
      }),
      entities: [templateInCatalog(service)],
      gitDir,
      features: [
        auditTrailPlugin(audit),
        ...deploymentsBackend(provider),
        permissionsDenying(() => denied),
      ],
    });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(gitDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    denied = [];
  });

  const create = (values: JsonObject) =>
    runTask(scaffolder.server, {
      templateRef: 'template:default/kotlin-spring-service',
      values: { ...serviceCases[0].values, ...values },
    });

  async function deploymentsOf(name: string) {
    const res = await request(scaffolder.server).get(
      `/api/deployments/entities/default/component/${name}/deployments`,
    );
    expect(res.status).toBe(200);
    return res.body.items as JsonObject[];
  }

  const head = (name: string) =>
    execFileSync(
      'git',
      ['--git-dir', join(gitDir, `${name}.git`), 'rev-parse', 'main'],
      {
        encoding: 'utf8',
      },
    ).trim();

  it('deploys the new service as the user who ran the task and links to the deployment', async () => {
    const task = await create({
      name: 'deployed-service',
      deployAfterCreation: true,
    });

    expect(task.failedStep).toBeUndefined();
    expect(task.status).toBe('completed');
    expect(task.startedSteps.slice(-3)).toEqual([
      'awaitEntity',
      'record',
      'deploy',
    ]);
    expect(task.skippedSteps).toEqual([]);

    const [deployment] = await deploymentsOf('deployed-service');
    expect(deployment).toMatchObject({
      entityRef: 'component:default/deployed-service',
      environment: 'production',
      triggeredBy: 'user:default/mock',
      version: head('deployed-service'),
    });
    expect(task.output?.links).toEqual([
      expect.objectContaining({ title: 'Repository' }),
      expect.objectContaining({ title: 'Open in catalog' }),
      {
        title: 'First deployment',
        url: `/catalog/default/component/deployed-service/deployments?deployment=${deployment.id}`,
      },
    ]);

    // The deployment runs with the settings the form wrote.
    for (let i = 0; i < 200 && provider.requests.length === 0; i++) {
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    expect(provider.requests).toEqual([
      expect.objectContaining({
        deploymentId: deployment.id,
        commitSha: head('deployed-service'),
        settings: deploymentSettingsSchema.parse(
          serviceCases[0].values.deployment,
        ),
      }),
    ]);
  });

  it('without the choice, skips the step: no deployment, no link', async () => {
    const task = await create({ name: 'undeployed-service' });

    expect(task.status).toBe('completed');
    expect(task.skippedSteps).toEqual(['deploy']);
    expect(task.output?.links.map((l: { title: string }) => l.title)).toEqual([
      'Repository',
      'Open in catalog',
    ]);
    expect(await deploymentsOf('undeployed-service')).toEqual([]);
  });

  it('a user who may not deploy the service: the deploy step fails saying why, the project is created, registered and recorded', async () => {
    denied = ['deployments.deployment.create'];

    const task = await create({
      name: 'denied-service',
      deployAfterCreation: true,
    });

    expect(task.status).toBe('failed');
    expect(task.failedStep).toEqual({
      id: 'deploy',
      message:
        'Could not deploy component:default/denied-service: Not allowed: deployments.deployment.create. It can be deployed later from its Deployments tab.',
    });
    expect(await deploymentsOf('denied-service')).toEqual([]);
    expect(head('denied-service')).toMatch(/^[0-9a-f]{40}$/);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'project.created',
        entityRef: 'component:default/denied-service',
      }),
    );
  });
});
