import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import os from 'node:os';
import {
  freePort,
  Portal,
  REPO_ROOT,
  startPortal,
} from './__testUtils__/portal';
import { runCli } from './__testUtils__/runCli';
import { UNHEALTHY_PATH } from './__testUtils__/scriptedProvider';

/*
 * The CLI as a user runs it: child processes against one portal backend
 * (the embedded default's plugins and configuration, SQLite in memory, a
 * scripted deployment provider instead of Maven builds), started once.
 * The tests build on each other: a project is created, changed, deployed,
 * costed, audited and deactivated in order.
 */

jest.setTimeout(60_000);

const NAME = 'cli-demo';
const REF = `component:default/${NAME}`;

/** Retries an assertion while the portal catches up (audit delivery, catalog processing). */
async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 500));
    }
  }
}

describe('paved-road against a portal backend', () => {
  let portal: Portal;
  let templatesDir: string;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, { env });
  const asCarol = async (...args: string[]) =>
    runCli(args, {
      env: { ...env, PAVED_ROAD_TOKEN: await portal.tokenOf('carol') },
    });

  beforeAll(async () => {
    // A copy of the templates, so that a test can publish a newer version.
    templatesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-templates-'));
    fs.cpSync(path.join(REPO_ROOT, 'templates'), templatesDir, {
      recursive: true,
    });
    portal = await startPortal({ templatesDir });
    env = {
      PAVED_ROAD_URL: portal.url,
      XDG_CONFIG_HOME: path.join(portal.dir, 'config'),
    };
    const guest = await (
      await fetch(`${portal.url}/api/auth/guest/refresh`)
    ).json();
    // Signing in reads group membership from the catalog: wait for it.
    await portal.untilCatalogHas(
      [
        'user:default/guest',
        'user:default/carol',
        'group:default/checkout',
        'group:default/fleet',
        'template:default/kotlin-spring-service',
      ],
      guest.backstageIdentity.token,
    );
  });

  afterAll(async () => {
    await portal?.stop();
    fs.rmSync(templatesDir, { recursive: true, force: true });
  });

  it('prints help with examples and the exit codes, and exits 2 on a usage error', async () => {
    const [help, createHelp, unknown, missingArgument] = await Promise.all([
      cli('--help'),
      cli('create', '--help'),
      cli('frobnicate'),
      cli('settings', 'set', NAME),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain('PAVED_ROAD_TOKEN');
    expect(createHelp.code).toBe(0);
    expect(createHelp.stdout).toContain('Examples:');
    expect(createHelp.stdout).toContain('--dry-run');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'frobnicate'"),
    });
    expect(missingArgument.code).toBe(2);
  });

  it('says how to sign in before signing in, and when the portal is down', async () => {
    const nowhere = `http://localhost:${await freePort()}`;
    const [signedOut, signedOutJson, down] = await Promise.all([
      cli('templates', 'list'),
      cli('templates', 'list', '--output', 'json'),
      runCli(['--url', nowhere, 'templates', 'list'], { env }),
    ]);
    expect(signedOut.code).toBe(3);
    expect(signedOut.stderr).toMatch(
      /^error: Not signed in to http:\/\/localhost:\d+ .*Run: paved-road login/,
    );
    expect(signedOut.stderr).not.toMatch(/\n\s+at /);
    expect(signedOutJson.code).toBe(3);
    expect(signedOutJson.stdout).toBe('');
    expect(JSON.parse(signedOutJson.stderr)).toEqual({
      error: {
        message: expect.stringContaining('Not signed in'),
        details: [],
        exitCode: 3,
        status: 401,
      },
    });
    expect(down.code).toBe(5);
    expect(down.stderr).toBe(
      `error: Cannot reach the portal at ${nowhere} (connection refused). Is it running? Point at another with --url or PAVED_ROAD_URL.\n`,
    );
  });

  it('signs in as the guest and stores the token readable by its owner only, never printing it', async () => {
    const login = await cli('login', '--output', 'json');

    expect(login.code).toBe(0);
    const file = path.join(portal.dir, 'config/paved-road/credentials.json');
    expect(login.json).toEqual({
      url: portal.url,
      userEntityRef: 'user:default/guest',
      method: 'guest',
      expiresAt: expect.any(String),
      storedIn: file,
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { token } = JSON.parse(fs.readFileSync(file, 'utf8')).portals[
      portal.url
    ];
    expect(token).toMatch(/^ey/);

    const whoami = await cli('whoami', '--output', 'json');
    expect(whoami.json).toMatchObject({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: expect.arrayContaining(['group:default/checkout']),
      method: 'guest',
    });
    for (const run of [login, whoami]) {
      expect(run.stdout + run.stderr).not.toContain(token);
    }
  });

  it("lists the templates and shows a template's parameters as its schema says", async () => {
    const [list, show, table, unknown] = await Promise.all([
      cli('templates', 'list', '--output', 'json'),
      cli('templates', 'show', 'kotlin-spring-service', '--output', 'json'),
      cli('templates', 'show', 'template:default/kotlin-spring-service'),
      cli('templates', 'show', 'no-such-template'),
    ]);
    expect(list.json.items.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining([
        'kotlin-library',
        'kotlin-spring-service',
        'paved-road-template',
      ]),
    );

    expect(show.code).toBe(0);
    expect(show.json.ref).toBe('template:default/kotlin-spring-service');
    const fields = Object.fromEntries(
      show.json.steps.flatMap((s: { fields: { name: string }[] }) =>
        s.fields.map(f => [f.name, f]),
      ),
    );
    expect(fields.name).toMatchObject({
      type: 'string',
      required: true,
      hasDefault: false,
    });
    expect(fields.javaVersion).toMatchObject({
      required: true,
      default: '17',
      enum: ['17', '25'],
    });
    expect(fields['deployment.replicas']).toMatchObject({
      type: 'integer',
      required: true,
      default: 2,
      rules: '1..50',
    });
    expect(fields['deployment.regions']).toMatchObject({
      type: 'array of string',
      default: ['eu-west-1'],
    });
    // The form's cost estimate display asks nothing.
    expect(fields).not.toHaveProperty('estimate');

    expect(table.stdout).toMatch(
      /PARAMETER\s+TYPE\s+REQUIRED\s+DEFAULT\s+ALLOWED/,
    );
    expect(table.stdout).toMatch(/javaVersion\s+string\s+yes\s+17\s+17, 25/);
    expect(unknown).toMatchObject({
      code: 4,
      stderr: expect.stringContaining(
        'No template template:default/no-such-template',
      ),
    });
  });

  it('refuses unknown templates, missing and invalid values before sending anything', async () => {
    const base = ['create', 'kotlin-spring-service', '--set', `name=${NAME}`];
    const [unknownTemplate, missing, invalid] = await Promise.all([
      cli('create', 'no-such-template', '--set', 'name=x'),
      cli(...base),
      cli(
        ...base,
        '--set',
        'owner=group:default/checkout',
        '--set',
        'description=Demo',
        '--set',
        'deployment.replicas=99',
        '--set',
        'javaVersion=11',
      ),
    ]);

    expect(unknownTemplate).toMatchObject({
      code: 4,
      stderr: expect.stringContaining(
        'No template template:default/no-such-template',
      ),
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: missing required value: owner\n');
    expect(missing.stderr).toContain(
      'owner (Owning team, string): The team that owns the service',
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe(
      [
        'error: invalid values for template:default/kotlin-spring-service',
        '  javaVersion: must be one of "17", "25"',
        '  deployment.replicas: must be <= 50',
        '',
      ].join('\n'),
    );

    const tasks = await cli('tasks', 'list', '--output', 'json');
    expect(tasks.json).toEqual({ items: [] });
  });

  it('creates a service with defaults for what is not given, step by step, and prints the repository, entity and clone command', async () => {
    const values = path.join(portal.dir, 'values.yaml');
    fs.writeFileSync(
      values,
      'description: Created by the CLI test\ndeployment:\n  replicas: 2\n',
    );

    const run = await cli(
      'create',
      'kotlin-spring-service',
      '--values',
      values,
      '--set',
      `name=${NAME}`,
      '--set',
      'owner=group:default/checkout',
      '--output',
      'json',
    );

    expect(run.code).toBe(0);
    const repoUrl = `${portal.url}/api/local-git/${NAME}.git`;
    expect(run.json).toMatchObject({
      template: 'template:default/kotlin-spring-service',
      status: 'completed',
      failedStep: null,
      entityRef: REF,
      repoUrl,
      cloneCommand: `git clone ${repoUrl}`,
      values: {
        name: NAME,
        description: 'Created by the CLI test',
        javaVersion: '17',
        groupId: 'com.example',
        deployment: {
          cluster: 'local',
          replicas: 2,
          memoryMiB: 512,
          regions: ['eu-west-1'],
        },
      },
    });
    expect(run.json.steps).toEqual(
      expect.arrayContaining([
        { id: 'nameFree', name: 'Check the name is free', status: 'completed' },
        { id: 'publish', name: 'Publish the repository', status: 'completed' },
        {
          id: 'register',
          name: 'Register in the catalog',
          status: 'completed',
        },
      ]),
    );
    // Progress goes to stderr in JSON mode, one line per finished step.
    expect(run.stderr).toContain('✔ Render the project\n');
    expect(run.stderr).toMatch(/✔ Wait for the catalog/);
    // The repository is real (asynchronously: this process serves it).
    const { stdout } = await promisify(execFile)('git', ['ls-remote', repoUrl]);
    expect(stdout).toMatch(/refs\/heads\/main/);
  });

  it('asks for a missing required value in a terminal, and dry-runs without publishing anything', async () => {
    const run = await runCli(
      [
        'create',
        'kotlin-spring-service',
        '--set',
        'name=cli-prompted',
        '--dry-run',
      ],
      { env, terminal: true, input: 'group:default/checkout\n' },
    );

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Owning team (owner): ');
    expect(run.stdout).toMatch(/✔ Check the name is free/);
    expect(run.stdout).toMatch(/\d+ files would be written, e\.g\. /);
    expect(run.stdout).toContain('✔ The dry run passed');
    expect((await cli('project', 'show', 'cli-prompted')).code).toBe(4);
  });

  it('exits 1 when the task fails, naming the step, and its log says why without a stack trace', async () => {
    const again = await cli(
      'create',
      'kotlin-spring-service',
      '--set',
      `name=${NAME}`,
      '--set',
      'owner=group:default/checkout',
      '--set',
      'description=Twice',
    );

    expect(again.code).toBe(1);
    const taskId = /Task (\S+) failed at "Check the name is free": (.*)/.exec(
      again.stdout,
    );
    expect(taskId).not.toBeNull();
    expect(taskId![2]).toContain(REF);
    expect(again.stdout).toContain(
      `Its full log: paved-road tasks logs ${taskId![1]}`,
    );

    const logs = await cli('tasks', 'logs', taskId![1], '--output', 'json');
    expect(logs.code).toBe(1);
    expect(logs.json).toMatchObject({ taskId: taskId![1], status: 'failed' });
    const failed = logs.json.steps.find(
      (s: { status: string }) => s.status === 'failed',
    );
    expect(failed).toMatchObject({
      id: 'nameFree',
      message: expect.stringContaining(REF),
    });
    expect(JSON.stringify(logs.json)).not.toMatch(/\\n\s+at /);
  });

  it('lists projects by owner and business unit, and shows one with its paved-road metadata', async () => {
    const [mine, otherUnit] = await Promise.all([
      cli('projects', 'list', '--owner', 'checkout', '--output', 'json'),
      cli(
        'projects',
        'list',
        '--business-unit',
        'logistics',
        '--output',
        'json',
      ),
    ]);
    expect(mine.json.items).toContainEqual({
      entityRef: REF,
      name: NAME,
      title: NAME,
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/checkout',
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
      template: 'template:default/kotlin-spring-service',
      repository: `${portal.url}/api/local-git/${NAME}.git`,
    });
    expect(
      otherUnit.json.items.map((p: { name: string }) => p.name),
    ).not.toContain(NAME);

    // The creation reaches the audit trail through an outbox.
    const show = await eventually(async () => {
      const run = await cli('project', 'show', NAME, '--output', 'json');
      expect(run.json.createdBy).toBe('user:default/guest');
      return run;
    });
    expect(show.json).toMatchObject({
      entityRef: REF,
      owner: 'group:default/checkout',
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
      template: {
        ref: 'template:default/kotlin-spring-service',
        version: '2.0.0',
      },
      upgrade: {
        available: false,
        latestVersion: '2.0.0',
        reason: 'up-to-date',
      },
      repository: `${portal.url}/api/local-git/${NAME}.git`,
      deactivated: false,
      settings: { version: 1, settings: { replicas: 2, memoryMiB: 512 } },
      serviceLevelObjectives: {
        found: true,
        file: 'deploy/slo.yaml',
        problems: [],
        slos: [
          expect.objectContaining({ name: `${NAME}-availability` }),
          expect.objectContaining({ name: `${NAME}-latency` }),
        ],
      },
      lastDeployment: null,
      cost: { currency: 'EUR', estimate: { monthlyTotal: expect.any(Number) } },
    });
    expect(show.json.cost.estimate.monthlyTotal).toBeGreaterThan(0);
  });

  it('says a project is up to date, refuses one not made from a template, shows the template fleet, and skips in a batch what it may not or need not upgrade', async () => {
    const fleetUpgrade = ['template', 'fleet', 'kotlin-spring-service'];
    const [
      upToDate,
      upToDateText,
      notFromTemplate,
      noEntity,
      fleet,
      table,
      carols,
      guests,
      unconfirmed,
      withoutUpgrade,
    ] = await Promise.all([
      cli('project', 'upgrade', NAME, '--output', 'json'),
      cli('project', 'upgrade', NAME),
      cli('project', 'upgrade', 'legacy-billing'),
      cli('project', 'upgrade', 'no-such-service'),
      cli(...fleetUpgrade, '--output', 'json'),
      cli('templates', 'fleet', 'kotlin-spring-service'),
      asCarol(
        ...fleetUpgrade,
        '--upgrade',
        '--project',
        NAME,
        '--yes',
        '--output',
        'json',
      ),
      cli(
        ...fleetUpgrade,
        '--upgrade',
        '--project',
        NAME,
        '--yes',
        '--wait',
        '--output',
        'json',
      ),
      cli(...fleetUpgrade, '--upgrade'),
      cli(...fleetUpgrade, '--project', NAME),
    ]);

    expect(upToDate.code).toBe(0);
    expect(upToDate.json).toMatchObject({
      entityRef: REF,
      templateRef: 'template:default/kotlin-spring-service',
      fromVersion: '2.0.0',
      toVersion: '2.0.0',
      available: false,
      reason: 'up-to-date',
      created: false,
      job: null,
    });
    expect(upToDateText.stdout).toContain(
      'Up to date: it is on 2.0.0, the latest version of template:default/kotlin-spring-service.',
    );
    expect(notFromTemplate).toMatchObject({
      code: 2,
      stderr:
        'error: component:default/legacy-billing cannot be upgraded: it was not created from a template\n',
    });
    expect(noEntity).toMatchObject({
      code: 4,
      stderr: `error: No entity component:default/no-such-service in the catalog of ${portal.url}\n`,
    });

    expect(fleet.code).toBe(0);
    expect(fleet.json).toMatchObject({
      templateRef: 'template:default/kotlin-spring-service',
      latestVersion: '2.0.0',
      versions: [{ version: '2.0.0', count: fleet.json.projects.length }],
      projects: expect.arrayContaining([
        expect.objectContaining({
          entityRef: REF,
          version: '2.0.0',
          available: false,
        }),
      ]),
    });
    expect(table.stdout).toMatch(
      /PROJECT\s+OWNER\s+VERSION\s+AVAILABLE\s+LAST UPGRADE/,
    );
    expect(table.stdout).toMatch(
      new RegExp(`${NAME}\\s+\\S+\\s+2\\.0\\.0\\s+-`),
    );

    expect(carols.code).toBe(0);
    expect(carols.json.batch).toMatchObject({
      templateRef: 'template:default/kotlin-spring-service',
      toVersion: '2.0.0',
      requestedBy: 'user:default/carol',
      jobs: [],
      skipped: [{ entityRef: REF, reason: 'not allowed' }],
    });
    expect(guests.code).toBe(0);
    expect(guests.json.batch.skipped).toEqual([
      { entityRef: REF, reason: 'it is on 2.0.0, the latest version' },
    ]);
    expect(unconfirmed).toMatchObject({
      code: 2,
      stderr: 'error: not upgraded: pass --yes to upgrade without a terminal\n',
    });
    expect(withoutUpgrade).toMatchObject({
      code: 2,
      stderr: 'error: --project, --wait and --yes go with --upgrade\n',
    });
  });

  it('changes settings showing the diff and the estimate, asking for --yes without a terminal', async () => {
    const unconfirmed = await cli(
      'settings',
      'set',
      NAME,
      'replicas=3',
      'memoryMiB=1024',
      '--message',
      'More traffic',
    );
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stdout).toMatch(/replicas\s+2\s+3/);
    expect(unconfirmed.stdout).toMatch(/memoryMiB\s+512\s+1024/);
    expect(unconfirmed.stdout).toMatch(
      /Estimate: [\d.,]+ EUR → [\d.,]+ EUR a month \(\+[\d.,]+ EUR\)/,
    );
    expect(unconfirmed.stderr).toBe(
      'error: not applied: pass --yes to apply without a terminal\n',
    );

    const applied = await cli(
      'settings',
      'set',
      NAME,
      'replicas=3',
      'memoryMiB=1024',
      '--message',
      'More traffic',
      '--yes',
      '--output',
      'json',
    );
    expect(applied.code).toBe(0);
    expect(applied.json).toMatchObject({
      entityRef: REF,
      baseVersion: 1,
      applied: true,
      changes: [
        { field: 'replicas', from: 2, to: 3 },
        { field: 'memoryMiB', from: 512, to: 1024 },
      ],
      estimate: { currency: 'EUR' },
      result: {
        mode: 'commit',
        version: { version: 2, createdBy: 'user:default/guest' },
      },
    });
    expect(applied.json.estimate.after).toBeGreaterThan(
      applied.json.estimate.before,
    );

    const [tooMany, unknownSetting, history, get] = await Promise.all([
      cli('settings', 'set', NAME, 'replicas=99', '-m', 'x', '--yes'),
      cli('settings', 'set', NAME, 'colour=blue', '-m', 'x', '--yes'),
      cli('settings', 'history', NAME, '--output', 'json'),
      cli('settings', 'get', `component:${NAME}`, '--output', 'json'),
    ]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/^error: settings\.replicas: .*50/);
    expect(unknownSetting).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('colour: not a deployment setting'),
    });
    expect(
      history.json.items.map((v: { version: number }) => v.version),
    ).toEqual([2, 1]);
    expect(history.json.items[0].changes).toEqual([
      { field: 'replicas', from: 2, to: 3 },
      { field: 'memoryMiB', from: 512, to: 1024 },
    ]);
    expect(get.json).toMatchObject({
      version: 2,
      settings: { replicas: 3, memoryMiB: 1024 },
    });
  });

  it("refuses another team's change and deploy with exit code 3", async () => {
    const [settings, deploy] = await Promise.all([
      asCarol('settings', 'set', NAME, 'replicas=4', '-m', 'not mine', '--yes'),
      asCarol('deploy', NAME),
    ]);
    expect(settings.code).toBe(3);
    expect(settings.stderr).toMatch(/^error: .*(not allowed|may not).*\n$/i);
    expect(settings.stderr).toContain('(signed in as user:default/carol)');
    expect(deploy.code).toBe(3);
  });

  it('deploys with live stages, exits 1 when the canary rolls back, and shows status and logs', async () => {
    const ok = await cli('deploy', NAME, '--wait', '--output', 'json');
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({
      entityRef: REF,
      environment: 'production',
      status: 'succeeded',
    });
    expect(
      ok.json.stages.map(
        (s: { name: string; status: string }) => `${s.name}:${s.status}`,
      ),
    ).toEqual(['build:succeeded', 'canary:succeeded', 'promote:succeeded']);
    expect(ok.stderr).toMatch(/✔ canary/);

    const status = await cli('status', NAME, '--output', 'json');
    expect(status.json).toMatchObject({
      entityRef: REF,
      environment: 'production',
      runtime: { provider: 'scripted', desiredReplicas: 3 },
      deployments: [{ id: ok.json.id, status: 'succeeded' }],
      dora: { deploymentFrequency: { successful: 1 } },
    });

    expect(
      (
        await cli(
          'settings',
          'set',
          NAME,
          `rollout.healthCheckPath=${UNHEALTHY_PATH}`,
          '-m',
          'Break the canary',
          '--yes',
        )
      ).code,
    ).toBe(0);
    const rolledBack = await cli('deploy', NAME, '--wait');
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stdout).toMatch(/✖ canary/);
    expect(rolledBack.stdout).toContain(`✖ Deployment rolled-back`);
    expect(rolledBack.stdout).toContain(
      `canary failed: health check ${UNHEALTHY_PATH} answered 503`,
    );

    const id = /Deployment (\S+): deploying/.exec(rolledBack.stdout)![1];
    const logs = await cli('logs', id, '--output', 'json');
    expect(logs.json).toMatchObject({
      deploymentId: id,
      status: 'rolled-back',
    });
    expect(logs.json.items.map((l: { line: string }) => l.line)).toContain(
      `GET ${UNHEALTHY_PATH}: 503`,
    );
    expect((await cli('logs', 'no-such-deployment')).code).toBe(4);
  });

  it('reads the cost of a project and rolls cost up by cost center', async () => {
    const [project, byCostCenter, neither] = await Promise.all([
      cli('costs', NAME, '--output', 'json'),
      cli('costs', '--by', 'cost-center', '--output', 'json'),
      cli('costs'),
    ]);
    expect(project.json).toMatchObject({
      entityRef: REF,
      currency: 'EUR',
      costCenter: 'CC-1001',
      estimate: { monthlyTotal: expect.any(Number) },
    });
    expect(project.json.daily).toHaveLength(30);
    expect(byCostCenter.json).toMatchObject({
      groupBy: 'cost-center',
      currency: 'EUR',
    });
    const cc1001 = byCostCenter.json.items.find(
      (i: { key: string }) => i.key === 'CC-1001',
    );
    expect(cc1001.total).toBeGreaterThan(0);
    expect(neither.code).toBe(2);
  });

  it('reads the audit trail, refused attempts included, and the hygiene list', async () => {
    const audit = await eventually(async () => {
      const run = await cli('audit', '--entity', NAME, '--output', 'json');
      const seen = run.json.items.map(
        (e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`,
      );
      expect(seen).toEqual(
        expect.arrayContaining([
          'project.created:succeeded',
          'settings.changed:succeeded',
          'settings.changed:denied',
        ]),
      );
      return run;
    });
    expect(audit.json.items[0]).toMatchObject({
      entityRef: REF,
      businessUnit: 'group:default/payments',
      costCenter: 'CC-1001',
    });

    const hygiene = await eventually(async () => {
      const run = await cli('hygiene', '--output', 'json');
      const refs = run.json.groups.flatMap(
        (g: { items: { entityRef: string }[] }) =>
          g.items.map(i => i.entityRef),
      );
      expect(refs).toContain('component:default/nightly-reports');
      return run;
    });
    expect(hygiene.code).toBe(0);
  });

  it('deactivates (after --yes) and reactivates; a deactivated project refuses settings changes', async () => {
    const unconfirmed = await cli('deactivate', NAME);
    expect(unconfirmed).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('pass --yes'),
    });

    const deactivated = await cli(
      'deactivate',
      NAME,
      '--yes',
      '--output',
      'json',
    );
    expect(deactivated.json).toMatchObject({
      entityRef: REF,
      deactivated: true,
      deactivatedBy: 'user:default/guest',
    });

    const refused = await cli(
      'settings',
      'set',
      NAME,
      'replicas=2',
      '-m',
      'x',
      '--yes',
    );
    expect(refused).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('deactivated'),
    });

    const reactivated = await cli('reactivate', NAME, '--output', 'json');
    expect(reactivated.json).toMatchObject({ deactivated: false });
  });

  it('names what is missing or malformed with exit codes 4 and 2', async () => {
    const [noEntity, badEntity, noSettings] = await Promise.all([
      cli('project', 'show', 'no-such-service'),
      cli('settings', 'get', 'not a name'),
      cli('settings', 'get', 'no-such-service'),
    ]);
    expect(noEntity).toMatchObject({
      code: 4,
      stderr: `error: No entity component:default/no-such-service in the catalog of ${portal.url}\n`,
    });
    expect(badEntity.code).toBe(2);
    expect(badEntity.stderr).toContain("entity: 'not a name'");
    expect(noSettings.code).toBe(4);
  });

  it('upgrades a project to a newer template version: refused for another team, then a branch with the new file for the owners', async () => {
    // The platform team publishes 2.1.0: a changelog section and a new file.
    const dir = path.join(templatesDir, 'kotlin-spring-service');
    const edit = (file: string, from: string, to: string) =>
      fs.writeFileSync(
        path.join(dir, file),
        fs.readFileSync(path.join(dir, file), 'utf8').replace(from, to),
      );
    edit(
      'template.yaml',
      'backstage.io/template-version: 2.0.0',
      'backstage.io/template-version: 2.1.0',
    );
    edit(
      'CHANGELOG.md',
      '## 2.0.0',
      '## 2.1.0\n\nAdds `docs/runbook.md` for the on-call team.\n\n## 2.0.0',
    );
    fs.mkdirSync(path.join(dir, 'skeleton/docs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'skeleton/docs/runbook.md'), '# Runbook\n');
    await fetch(`${portal.url}/api/catalog/refresh`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await portal.tokenOf('admin')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        entityRef: 'template:default/kotlin-spring-service',
      }),
    });
    const offered = await eventually(async () => {
      const run = await cli('project', 'upgrade', NAME, '--output', 'json');
      expect(run.json).toMatchObject({ available: true, toVersion: '2.1.0' });
      return run;
    }, 30_000);
    expect(offered.json).toMatchObject({
      fromVersion: '2.0.0',
      changelog: [
        {
          version: '2.1.0',
          body: expect.stringContaining('Adds `docs/runbook.md`'),
        },
      ],
      missingAnswers: [],
    });

    const refused = await runCli(['project', 'upgrade', NAME, '--yes'], {
      env: { ...env, PAVED_ROAD_TOKEN: await portal.tokenOf('carol') },
    });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'error: Not allowed: templates.project.upgrade (signed in as user:default/carol)',
    );

    const upgraded = await cli(
      'project',
      'upgrade',
      NAME,
      '--yes',
      '--wait',
      '--output',
      'json',
    );
    expect(upgraded.code).toBe(0);
    expect(upgraded.json).toMatchObject({
      created: true,
      job: {
        entityRef: REF,
        fromVersion: '2.0.0',
        toVersion: '2.1.0',
        status: 'succeeded',
        result: { branch: 'paved-road/upgrade-2.1.0' },
      },
      cloneCommand: `git clone -b paved-road/upgrade-2.1.0 ${portal.url}/api/local-git/${NAME}.git`,
    });
    expect(upgraded.json.job.result.changedFiles).toContainEqual({
      path: 'docs/runbook.md',
      status: 'A',
    });
    expect(upgraded.stderr).toMatch(/\d\d:\d\d:\d\d succeeded/);
    // The branch is in the project's repository, at the merge commit.
    const { stdout } = await promisify(execFile)('git', [
      'ls-remote',
      `${portal.url}/api/local-git/${NAME}.git`,
      'paved-road/upgrade-2.1.0',
    ]);
    expect(stdout).toContain(upgraded.json.job.result.commit);

    // Asking again follows the same job.
    const again = await cli('project', 'upgrade', NAME, '--output', 'json');
    expect(again.json).toMatchObject({
      created: false,
      job: { id: upgraded.json.job.id, status: 'succeeded' },
    });

    // Merged into main from the terminal: not by another team, once.
    const carolMerges = await runCli(
      ['project', 'merge-upgrade', NAME, '--yes'],
      { env: { ...env, PAVED_ROAD_TOKEN: await portal.tokenOf('carol') } },
    );
    expect(carolMerges.code).toBe(3);
    expect(carolMerges.stderr).toContain(
      'error: Not allowed: templates.project.upgrade',
    );
    const unconfirmed = await cli('project', 'merge-upgrade', NAME);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes');
    const merged = await cli(
      'project',
      'merge-upgrade',
      NAME,
      '--yes',
      '--output',
      'json',
    );
    expect(merged.code).toBe(0);
    expect(merged.json).toMatchObject({
      entityRef: REF,
      merged: true,
      job: { id: upgraded.json.job.id, mergedBy: 'user:default/guest' },
    });
    const { stdout: mainRef } = await promisify(execFile)('git', [
      'ls-remote',
      `${portal.url}/api/local-git/${NAME}.git`,
      'refs/heads/main',
    ]);
    expect(mainRef).toContain(upgraded.json.job.result.commit);
    const mergedAgain = await cli('project', 'merge-upgrade', NAME, '--yes');
    expect(mergedAgain.code).toBe(0);
    expect(mergedAgain.stdout).toContain('Already merged');
  });
});
