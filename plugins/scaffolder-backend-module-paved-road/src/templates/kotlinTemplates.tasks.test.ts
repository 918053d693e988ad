import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { libraryCases, serviceCases } from './__testUtils__/cases';
import {
  embeddedConfig,
  JsonObject,
  loadTemplate,
  LoadedTemplate,
  mergeConfig,
  REPO_ROOT,
  Scaffolder,
  startScaffolder,
  text,
} from './__testUtils__/scaffolder';
import {
  auditTrailPlugin,
  runTask,
  templateInCatalog,
} from './__testUtils__/tasks';

/*
 * The Kotlin templates run as real tasks through this module's actions:
 * values the form schema rejects never start a task, values only the
 * actions can judge fail the first step before anything is written, and a
 * valid task publishes, registers and records. (Rendering every option of
 * the templates is packages/template-tools' src/templates tests.)
 */

jest.setTimeout(120_000);

/** The service's steps, in order. */
const SERVICE_STEP_IDS = [
  'nameFree',
  'plan',
  'resolve',
  'fetchSkeleton',
  'annotate',
  'publish',
  'register',
  'awaitEntity',
  'record',
  'deploy',
];

describe('bad input is rejected before any side effect', () => {
  let scaffolder: Scaffolder;
  let gitDir: string;
  let service: LoadedTemplate;
  let library: LoadedTemplate;
  const audit: JsonObject[] = [];

  beforeAll(async () => {
    gitDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-git-'));
    service = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    library = await loadTemplate(join(REPO_ROOT, 'templates/kotlin-library'));
    scaffolder = await startScaffolder({
      config: mergeConfig(await embeddedConfig(), {
        pavedRoad: { localGit: { directory: gitDir } },
      }),
      entities: [
        templateInCatalog(service),
        templateInCatalog(library),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'legacy-billing', namespace: 'default' },
          spec: { type: 'service', owner: 'group:default/logistics' },
        },
      ],
      gitDir,
      features: [auditTrailPlugin(audit)],
    });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(gitDir, { recursive: true, force: true });
  });

  const good = serviceCases[0].values;

  async function repos() {
    return (await fs.readdir(gitDir)).filter(f => !f.startsWith('.'));
  }

  // POST /api/scaffolder/v2/tasks validates the values against every
  // parameter page and answers 400 naming the field; no task is created.
  it.each([
    ['name', '../x'],
    ['name', 'My Service'],
    ['name', 'UPPER'],
    ['name', 'ab'],
    ['name', 'fun'],
    ['name', 'trailing-'],
    ['name', 'x'.repeat(57)],
    ['owner', 'payments-core'],
    ['owner', 'user:default/guest'],
    ['system', 'payments-platform'],
    ['costCenter', 'CC-12'],
    ['costCenter', 'cc-1001'],
    ['groupId', 'com'],
    ['groupId', 'Com.Example'],
    ['groupId', 'com.example.in'],
    ['groupId', 'com..example'],
    ['groupId', 'com.1example'],
    ['basePackage', 'com.fun.orders'],
    ['basePackage', 'com.example.is'],
    ['basePackage', 'com.example.object.x'],
    ['basePackage', 'com.example-orders'],
    ['javaVersion', '11'],
    ['description', '   '],
  ])('task with %s %j: 400 naming the field', async (field, value) => {
    const res = await request(scaffolder.server)
      .post('/api/scaffolder/v2/tasks')
      .send({
        templateRef: 'template:default/kotlin-spring-service',
        values: { ...good, [field]: value },
      });
    expect(res.status).toBe(400);
    expect(
      res.body.errors.map((e: { property: string }) => e.property),
    ).toEqual([`instance.${field}`]);
    expect(await repos()).toEqual([]);
  });

  it.each([
    ['registryUrl', 'ftp://example.com/maven'],
    ['registryUrl', 'https://example.com/maven?a=1&b=2'],
    ['name', 'x'.repeat(64)],
  ])('library task with %s %j: 400 naming the field', async (field, value) => {
    const res = await request(scaffolder.server)
      .post('/api/scaffolder/v2/tasks')
      .send({
        templateRef: 'template:default/kotlin-library',
        values: { ...libraryCases[0].values, [field]: value },
      });
    expect(res.status).toBe(400);
    expect(
      res.body.errors.map((e: { property: string }) => e.property),
    ).toEqual([`instance.${field}`]);
  });

  it.each([
    ['basePackage', 'com.inside.isle.funding.objects'],
    ['groupId', 'io.in_'],
    ['name', 'x'.repeat(56)],
    ['name', 'fun-service'],
  ])(
    'accepts %s %j (keywords only as whole segments)',
    async (field, value) => {
      const { status, body } = await scaffolder.dryRun(service, {
        ...good,
        [field]: value,
      });
      expect({ status, errors: body.errors }).toEqual({
        status: 200,
        errors: undefined,
      });
    },
  );

  // Values the schema cannot judge fail the first step, which only reads
  // the catalog: nothing is fetched, written or published.
  it.each([
    [
      'unknown owner',
      { owner: 'group:default/nope' },
      /^input\.owner: .*group:default\/nope/,
    ],
    [
      'cost center of another business unit',
      { owner: 'group:default/checkout', costCenter: 'CC-2001' },
      /^input\.costCenter: .*CC-2001.*group:default\/payments/,
    ],
  ])('%s: the resolve step fails first', async (_title, change, message) => {
    const task = await runTask(scaffolder.server, {
      templateRef: 'template:default/kotlin-spring-service',
      values: { ...good, ...change },
    });
    expect(task.status).toBe('failed');
    expect(task.failedStep).toEqual({
      id: 'resolve',
      message: expect.stringMatching(message),
    });
    expect(task.startedSteps).toEqual(['nameFree', 'plan', 'resolve']);
    expect(await repos()).toEqual([]);
    expect(audit).toEqual([]);

    // The dry run says the same.
    const dry = await scaffolder.dryRun(service, { ...good, ...change });
    expect(dry.status).toBe(400);
    expect(dry.body.error.message).toMatch(message);
  });

  it('a name the catalog already has: the first step fails, nothing is written', async () => {
    for (const templateRef of [
      'template:default/kotlin-spring-service',
      'template:default/kotlin-library',
    ]) {
      const values =
        templateRef === 'template:default/kotlin-library'
          ? libraryCases[0].values
          : good;
      const task = await runTask(scaffolder.server, {
        templateRef,
        values: { ...values, name: 'legacy-billing' },
      });
      expect(task.status).toBe('failed');
      expect(task.failedStep).toEqual({
        id: 'nameFree',
        message:
          'The name legacy-billing is taken: component:default/legacy-billing is already in the catalog (owned by group:default/logistics). Choose another name.',
      });
      expect(task.startedSteps).toEqual(['nameFree']);
    }
    expect(await repos()).toEqual([]);
    expect(audit).toEqual([]);
  });

  it('a valid task publishes one commit and registers the service', async () => {
    const values = { ...good, name: 'real-run-service' };
    const dry = await scaffolder.dryRun(service, values);
    expect(dry.status).toBe(200);

    const task = await runTask(scaffolder.server, {
      templateRef: 'template:default/kotlin-spring-service',
      values,
    });
    expect(task.failedStep).toBeUndefined();
    expect(task.status).toBe('completed');
    expect(task.startedSteps).toEqual(SERVICE_STEP_IDS);
    // Not asked to deploy: no deploy step, no "First deployment" link.
    expect(task.skippedSteps).toEqual(['deploy']);
    expect(task.output).toMatchObject({
      links: [
        {
          title: 'Repository',
          url: 'http://localhost:7007/api/local-git/real-run-service.git',
        },
        {
          title: 'Open in catalog',
          entityRef: 'component:default/real-run-service',
        },
      ],
    });
    expect(await repos()).toEqual(['real-run-service.git']);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'project.created',
        outcome: 'succeeded',
        actor: 'user:default/mock',
        entityRef: 'component:default/real-run-service',
        owner: 'group:default/checkout',
        businessUnit: 'group:default/payments',
        costCenter: 'CC-1001',
        details: expect.objectContaining({
          taskId: expect.any(String),
          templateRef: 'template:default/kotlin-spring-service',
          templateVersion: '2.0.0',
          repoUrl: 'http://localhost:7007/api/local-git/real-run-service.git',
        }),
      }),
    ]);

    // The repository holds exactly what the dry run rendered, in one commit.
    const bare = join(gitDir, 'real-run-service.git');
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', bare, ...args], {
        encoding: 'utf8',
      });
    expect(git('rev-list', '--count', 'main').trim()).toBe('1');
    // The pristine render, for upgrades, is that same commit.
    expect(git('rev-parse', 'paved-road/template')).toBe(
      git('rev-parse', 'main'),
    );
    const committed = git('ls-tree', '-r', '--name-only', 'main')
      .trim()
      .split('\n');
    expect(committed.sort()).toEqual([...dry.files.keys()].sort());
    for (const path of committed) {
      expect({ path, content: git('show', `main:${path}`) }).toEqual({
        path,
        content: text(dry.files, path),
      });
    }

    // Creating it again is refused before anything is written.
    const again = await scaffolder.dryRun(service, values);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /The name real-run-service is taken: component:default\/real-run-service is already in the catalog/,
    );
  });
});
