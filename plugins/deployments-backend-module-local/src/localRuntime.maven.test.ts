import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  deploymentRequest,
  get,
  settings,
  TestReporter,
} from './__testUtils__/fakeService';
import { databaseOf, tempDir, testConfig } from './__testUtils__/harness';
import { MavenBuilder } from './build/MavenBuilder';
import { LocalRuntimeStore } from './database/LocalRuntimeStore';
import { javaLauncher } from './instances/launcher';
import { LocalDeploymentProvider } from './LocalDeploymentProvider';
import { LocalRuntime } from './runtime/LocalRuntime';

/*
 * The real path: a service rendered from templates/kotlin-spring-service,
 * committed to a git repository, built with `mvn -B package` and run with
 * `java -jar` behind its stable URL. Needs JDK 17 and Maven on PATH (and
 * takes minutes on a small machine); PAVED_ROAD_SKIP_MAVEN_TESTS=1 skips it,
 * reported as skipped.
 */

const MINUTE = 60_000;
jest.setTimeout(20 * MINUTE);

const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';
const describeMaven = skipMaven ? describe.skip : describe;
const REPO_ROOT = path.resolve(__dirname, '../../..');

async function renderService(name: string, target: string) {
  const action = createFetchTemplateAction({
    reader: mockServices.urlReader.mock(),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const basePackage = `com.example.${name.replace(/-/g, '')}`;
  await action.handler(
    createMockActionContext({
      workspacePath: target,
      templateInfo: {
        entityRef: 'template:default/kotlin-spring-service',
        baseUrl: `file://${path.join(
          REPO_ROOT,
          'templates/kotlin-spring-service/template.yaml',
        )}`,
      },
      input: {
        url: './skeleton',
        values: {
          name,
          description: 'Deployed by the local runtime test',
          owner: 'group:default/checkout',
          ownerName: 'checkout',
          system: '',
          costCenter: 'CC-1001',
          businessUnit: 'group:default/payments',
          groupId: 'com.example',
          basePackage,
          basePackagePath: basePackage.replace(/\./g, '/'),
          javaVersion: '17',
          repoUrl: `http://localhost:7007/api/local-git/${name}.git`,
          repoSlug: name,
          templateRef: 'template:default/kotlin-spring-service',
          deployment: settings(),
        },
      },
    }),
  );
}

describeMaven('the local runtime with Maven and Java', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let dir: string;
  let runtime: LocalRuntime | undefined;

  beforeAll(async () => {
    dir = await tempDir('local-runtime-maven-');
  });

  // Before TestDatabases closes the database after all tests.
  afterEach(async () => {
    await runtime?.shutdown();
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('builds a service generated from the Kotlin template, serves it on the stable URL, and rolls back a version failing its health check', async () => {
    const repo = path.join(dir, 'repo');
    await renderService('local-runtime-demo', repo);
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      'Create',
    );
    const commitSha = git('rev-parse', 'HEAD');

    const config = testConfig(path.join(dir, 'work'), {
      bakeSeconds: 3,
      startupTimeoutSeconds: 180,
    });
    runtime = new LocalRuntime({
      store: await LocalRuntimeStore.create({
        database: databaseOf(await databases.init('SQLITE_3')),
      }),
      launcher: javaLauncher,
      logger: mockServices.logger.mock(),
      config,
      healthIntervalMs: 1000,
    });
    await runtime.start();
    const provider = new LocalDeploymentProvider(
      runtime,
      new MavenBuilder({ skipTests: true }),
    );
    const request = (overrides = {}) =>
      deploymentRequest(commitSha, {
        entityRef: 'component:default/local-runtime-demo',
        repository: { cloneUrl: repo, defaultBranch: 'main' },
        ...overrides,
      });

    const started = Date.now();
    const reporter = new TestReporter();
    const outcome = await provider.deploy(request(), reporter);
    // eslint-disable-next-line no-console
    console.log(
      `deployed in ${Math.round(
        (Date.now() - started) / 1000,
      )}s; stages ${reporter.stageNames.join(', ')}`,
    );

    expect({ outcome, tail: reporter.lines.slice(-5) }).toMatchObject({
      outcome: { status: 'succeeded' },
    });
    expect(reporter.lines).toContain('[INFO] BUILD SUCCESS');
    expect(reporter.stageNames).toEqual(['build', 'canary', 'bake', 'promote']);
    const state = await provider.getRuntime(
      'component:default/local-runtime-demo',
      'production',
    );
    expect(state.instances.map(i => [i.version, i.healthy])).toEqual([
      [commitSha, true],
      [commitSha, true],
    ]);
    const health = await get(`${state.url}/actuator/health`);
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'UP' });

    // The same service with a health path it does not serve: rolled back.
    const bad = new TestReporter();
    const badStarted = Date.now();
    const failed = await provider.deploy(
      request({
        settings: settings({
          rollout: { healthCheckPath: '/actuator/nope' },
        }),
      }),
      bad,
    );
    // eslint-disable-next-line no-console
    console.log(
      `rolled back in ${Math.round((Date.now() - badStarted) / 1000)}s`,
    );
    expect(failed).toMatchObject({
      status: 'rolled-back',
      reason: expect.stringMatching(
        /answers 404 on \/actuator\/nope: this version has no such health check path/,
      ),
    });
    expect(
      (
        await provider.getRuntime(
          'component:default/local-runtime-demo',
          'production',
        )
      ).instances,
    ).toEqual(state.instances);
    expect((await get(`${state.url}/actuator/health`)).json).toMatchObject({
      status: 'UP',
    });
  });
});
