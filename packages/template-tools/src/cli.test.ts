import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import yaml from 'yaml';
import { inProcessScaffolder } from './lib/inProcessScaffolder';
import { REPO_ROOT } from './lib/installedActions';
import { Problem } from './lib/problems';

/*
 * The paved-road-template command (and scripts/validate-template, which
 * runs it), run as a developer runs it: a child process on the repository's
 * Node. Without --backend it boots the scaffolder of packages/backend in
 * process (a few seconds per run).
 */

jest.setTimeout(180_000);

const CLI = join(REPO_ROOT, 'packages/template-tools/bin/paved-road-template');
const FIXTURES = join(__dirname, '__fixtures__/validator');
const TEMPLATES = [
  'templates/kotlin-spring-service/template.yaml',
  'templates/kotlin-library/template.yaml',
  'templates/paved-road-template/template.yaml',
].map(t => join(REPO_ROOT, t));

type Report = {
  actionsFrom: string;
  actions: string[];
  results: Array<{ file: string; problems: Problem[] }>;
};

const env = {
  ...process.env,
  // The repository's Node for the wrapper script; env.sh is not needed here.
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  PAVED_ROAD_SKIP_ENV: '1',
};

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd ?? REPO_ROOT,
        env: options.env ?? env,
        maxBuffer: 32 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = exitCode(error);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const validate = (...args: string[]) => run(process.execPath, [CLI, ...args]);

async function validateJson(...args: string[]) {
  const { code, stdout, stderr } = await validate('--json', ...args);
  if (code === 2) throw new Error(`validator could not run: ${stderr}`);
  return { code, report: JSON.parse(stdout) as Report };
}

describe('paved-road-template', () => {
  let report: Report;
  let code: number;
  const problemsOf = (file: string) => {
    const result = report.results.find(r => r.file === file);
    if (!result) throw new Error(`no result for ${file}`);
    return result.problems;
  };
  const fixture = (name: string) => join(FIXTURES, name);

  beforeAll(async () => {
    ({ code, report } = await validateJson(
      ...TEMPLATES,
      fixture('good/template.yaml'),
      fixture('bad-yaml.txt'),
      fixture('not-a-template.yaml'),
      fixture('bad-schema.yaml'),
      fixture('bad-steps.yaml'),
      fixture('bad-refs.yaml'),
      fixture('bad-skeleton/template.yaml'),
    ));
  });

  it('lists the actions of the backend composition', () => {
    expect(report.actionsFrom).toContain('packages/backend');
    expect(report.actions).toEqual(
      expect.arrayContaining([
        'fetch:template',
        'catalog:register',
        'publish:github',
        'paved-road:cost-center:resolve',
        'paved-road:catalog-info:annotate',
        'paved-road:publish',
      ]),
    );
    expect(code).toBe(1);
  });

  it.each(TEMPLATES.map(t => [t.slice(REPO_ROOT.length + 1), t]))(
    '%s has no problem at all',
    (_name, file) => {
      expect(problemsOf(file)).toEqual([]);
    },
  );

  it('accepts a template using dependencies, each, if and every context root', () => {
    expect(problemsOf(fixture('good/template.yaml'))).toEqual([]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf(fixture('bad-yaml.txt'))).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: '(yaml)',
        line: 9,
        message: expect.stringMatching(/Flow map/),
      }),
    ]);
  });

  it('reports an entity that is not a template', () => {
    const errors = problemsOf(fixture('not-a-template.yaml')).filter(
      p => p.severity === 'error',
    );
    expect(errors.map(p => p.field)).toEqual(
      expect.arrayContaining([
        'apiVersion',
        'kind',
        'metadata.name',
        'spec.steps',
      ]),
    );
  });

  it('reports invalid parameter schemas', () => {
    expect(problemsOf(fixture('bad-schema.yaml'))).toEqual([
      expect.objectContaining({
        severity: 'error',
        field: 'spec.parameters[0]',
        line: 11,
        message: expect.stringMatching(/unknown keyword: "patern"/),
      }),
      expect.objectContaining({
        severity: 'error',
        field: 'spec.parameters[1]',
        message: expect.stringMatching(
          /Invalid regular expression.*\^\(group:/,
        ),
      }),
      expect.objectContaining({
        severity: 'error',
        field: 'spec.parameters[2].required',
        message: 'requires "colour", which is not one of its properties',
      }),
      expect.objectContaining({
        severity: 'error',
        field: 'spec.parameters[2].properties.size.default',
        message: expect.stringMatching(/default 9 .*size must be <= 5/),
      }),
      expect.objectContaining({
        severity: 'warning',
        message: 'color: no title',
      }),
      expect.objectContaining({
        severity: 'warning',
        message: 'color: no description',
      }),
    ]);
  });

  it('reports step ids, actions and inputs', () => {
    const problems = problemsOf(fixture('bad-steps.yaml')).map(
      ({ step, field, message }) => ({ step, field, message }),
    );
    expect(problems).toEqual([
      {
        step: undefined,
        field: 'spec.steps[0].id',
        message: expect.stringMatching(/^missing/),
      },
      {
        step: 'fetch-base',
        field: 'id',
        message: expect.stringMatching(/not camelCase.*e\.g\. "fetchBase"/),
      },
      {
        step: 'twice',
        field: 'id',
        message: 'duplicate step id (also step 3)',
      },
      {
        step: 'gitlab',
        field: 'action',
        message:
          'action publish:gitlab is not installed (did you mean publish:github?)',
      },
      {
        step: 'typo',
        field: 'action',
        message:
          'action paved-road:publsh is not installed (did you mean paved-road:publish?)',
      },
      {
        step: 'publish',
        field: 'inputs',
        message: expect.stringMatching(/^unknown step field "inputs"/),
      },
      {
        step: 'publish',
        field: 'input.repoNmae',
        message: expect.stringMatching(
          /^paved-road:publish has no input "repoNmae" \(did you mean repoName\?\)/,
        ),
      },
      {
        step: 'annotate',
        field: 'input',
        message:
          'paved-road:catalog-info:annotate requires input "businessUnit"',
      },
      {
        step: 'annotate',
        field: 'input',
        message: 'paved-road:catalog-info:annotate requires input "costCenter"',
      },
    ]);
  });

  it('reports ${{ }} references that do not resolve', () => {
    const problems = problemsOf(fixture('bad-refs.yaml'));
    const messages = problems.map(
      p => `${p.step ?? '-'} ${p.field}: ${p.message}`,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        'early input.message: steps.publish.output.remoteUrl: step "publish" runs later; only earlier steps have outputs',
        expect.stringMatching(
          /^resolve input.owner: parameters.nmae: no parameter "nmae" on any page \(did you mean name\?\)/,
        ),
        'resolve input.costCenter: parameters.deployment.replica: parameter deployment has no field "replica"',
        expect.stringMatching(
          /^logs input.message: steps.resolve.output.costCentre: action paved-road:cost-center:resolve has no output "costCentre" \(did you mean costCenter\?\)/,
        ),
        'logs input.message: steps.nope.output.x: no step "nope"',
        'logs input.message: user.name: user has only entity and ref',
        expect.stringMatching(
          /^logs input.message: templateInfo.entityRef: unknown variable "templateInfo"/,
        ),
        'logs input.message: each.value: each is only set inside a step with "each"',
        'logs input.message: steps.resolve.outputs: a step exposes only steps.resolve.output',
        'logs input.message: Unknown template filter "nope" in ${{ parameters.name | nope }}',
        'logs input.extra: Expected name, received end of input in ${{ parameters. }}',
        'logs input.self: steps.logs.output.x: step "logs" is this step; only earlier steps have outputs',
        expect.stringMatching(
          /^- spec.output.links\[0\].url: steps.publish.output.remoteURL: action paved-road:publish has no output "remoteURL" \(did you mean remoteUrl\?\)/,
        ),
        '- spec.output.links[1]: a link needs url or entityRef',
      ]),
    );
    expect(problems.every(p => p.line && p.column)).toBe(true);
  });

  it('reports skeleton values the step does not pass, and missing skeletons', () => {
    const problems = problemsOf(fixture('bad-skeleton/template.yaml')).map(
      ({ severity, step, field, message }) => ({
        severity,
        step,
        field,
        message,
      }),
    );
    expect(problems).toEqual([
      {
        severity: 'error',
        step: 'fetchSkeleton',
        field: 'input.url',
        message: expect.stringMatching(/Unknown template filter "nope"/),
      },
      ...['dirName', 'owner', 'system'].map(name => ({
        severity: 'error',
        step: 'fetchSkeleton',
        field: 'input.values',
        message: expect.stringContaining(
          `the skeleton uses values.${name} (\${{ values.dirName }}.md) but the step does not pass it`,
        ),
      })),
      {
        severity: 'warning',
        step: 'fetchSkeleton',
        field: 'input.values.unused',
        message: 'values.unused is not used by ./skeleton',
      },
      {
        severity: 'error',
        step: 'fetchMissing',
        field: 'input.url',
        message: expect.stringMatching(
          /^\.\/missing does not exist next to the template/,
        ),
      },
    ]);
  });
});

describe('scripts/validate-template (the documented command)', () => {
  it('passes the Kotlin library template', async () => {
    const res = await run('bash', [
      'scripts/validate-template',
      'templates/kotlin-library/template.yaml',
    ]);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/1 template\(s\), 0 error\(s\), 0 warning\(s\)/);
    expect(res.code).toBe(0);
  });

  it('prints file, line, step and field, and exits 1 on errors', async () => {
    const res = await run(
      'bash',
      [
        join(REPO_ROOT, 'scripts/validate-template'),
        join(FIXTURES, 'bad-steps.yaml'),
      ],
      { cwd: FIXTURES },
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(
      'bad-steps.yaml:51:19: error: step "publish" input.repoNmae: paved-road:publish has no input "repoNmae" (did you mean repoName?)',
    );
  });

  it('exits 2 on usage errors', async () => {
    expect((await validate()).code).toBe(2);
    expect((await validate('--nope', 'x.yaml')).code).toBe(2);
    expect((await validate('--backend')).code).toBe(2);
  });

  it('--strict fails on warnings', async () => {
    const file = join(FIXTURES, 'warnings-only.yaml');
    const plain = await validateJson(file);
    expect(plain.report.results[0].problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: 'name: no description',
      }),
    ]);
    expect(plain.code).toBe(0);
    expect((await validateJson('--strict', file)).code).toBe(1);
  });
});

describe('paved-road-template --backend', () => {
  it('reads the actions of a running backend', async () => {
    // The in-process scaffolder serves on a port of its own.
    const scaffolder = await inProcessScaffolder({});
    try {
      const url = scaffolder.baseUrl;
      const { code, report } = await validateJson(
        '--backend',
        url,
        TEMPLATES[1],
      );
      expect(report.actionsFrom).toBe(`${url}/api/scaffolder/v2/actions`);
      expect(report.results[0].problems).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await scaffolder.close();
    }
  });

  it('reports actions that backend does not have', async () => {
    // A scaffolder without the Paved Road module.
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const { code, report } = await validateJson(
        '--backend',
        `http://127.0.0.1:${port}`,
        TEMPLATES[1],
      );
      expect(code).toBe(1);
      expect(report.results[0].problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            step: 'resolve',
            field: 'action',
            message: 'action paved-road:cost-center:resolve is not installed',
          }),
          expect.objectContaining({
            step: 'publish',
            message: expect.stringMatching(
              /^action paved-road:publish is not installed/,
            ),
          }),
        ]),
      );
    } finally {
      await backend.stop();
    }
  });

  it('exits 2 when the backend cannot be reached', async () => {
    const res = await validate('--backend', 'http://127.0.0.1:9', TEMPLATES[1]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cannot reach the scaffolder/);
  });
});

describe('paved-road-template --render', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-render-'));
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('reports form values the template rejects, naming the field', async () => {
    const values = join(tmp, 'bad-values.yaml');
    await fs.writeFile(
      values,
      yaml.stringify({
        name: 'My Library',
        description: 'x',
        owner: 'group:default/checkout',
        groupId: 'com.example',
        javaVersion: '17',
      }),
    );
    const res = await validate(
      '--render',
      values,
      '--out',
      join(tmp, 'x'),
      TEMPLATES[1],
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
      /bad-values\.yaml: values\.name: does not match pattern/,
    );
  });

  it('reports a failing step', async () => {
    const values = join(tmp, 'nope-values.yaml');
    await fs.writeFile(
      values,
      yaml.stringify({
        name: 'render-nope',
        description: 'x',
        owner: 'group:default/nope',
        groupId: 'com.example',
        javaVersion: '17',
      }),
    );
    const res = await validate(
      '--render',
      values,
      '--out',
      join(tmp, 'y'),
      TEMPLATES[1],
    );
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
      /dry run failed \(400\): input\.owner: .*group:default\/nope/,
    );
  });

  it('renders the paved-road template into a template repository that tests itself', async () => {
    const values = join(tmp, 'meta-values.yaml');
    await fs.writeFile(
      values,
      yaml.stringify({
        name: 'validator-test-python-service',
        title: 'Python service: "fast" & #1',
        description: 'A FastAPI service with CI, for teams that prefer Python.',
        owner: 'group:default/payments-core',
        type: 'service',
      }),
    );
    const repo = join(tmp, 'repo');
    const rendered = await validate(
      '--render',
      values,
      '--out',
      repo,
      TEMPLATES[2],
    );
    expect(rendered.stdout).toMatch(
      /rendered 8 file\(s\) .*resolve -> fetchSkeleton -> publish -> register/,
    );
    expect(rendered.code).toBe(0);

    // The new repository: template.yaml, skeleton/, a test script, the test
    // values, catalog-info.yaml registering the template, README.
    const files = (await run('find', ['.', '-type', 'f'], { cwd: repo })).stdout
      .trim()
      .split('\n')
      .sort();
    expect(files).toEqual([
      './.gitignore',
      './.validate-template-render',
      './README.md',
      './catalog-info.yaml',
      './scripts/test-template',
      './skeleton/README.md',
      './skeleton/catalog-info.yaml',
      './template.yaml',
      './test/values.yaml',
    ]);
    const template = yaml.parse(
      await fs.readFile(join(repo, 'template.yaml'), 'utf8'),
    );
    expect(template).toMatchObject({
      kind: 'Template',
      metadata: {
        name: 'validator-test-python-service',
        title: 'Python service: "fast" & #1',
      },
      spec: { owner: 'group:default/payments-core', type: 'service' },
    });
    expect(template.spec.steps.map((s: { id: string }) => s.id)).toEqual([
      'plan',
      'resolve',
      'fetchSkeleton',
      'annotate',
      'publish',
      'register',
      'record',
    ]);
    expect(
      yaml.parse(await fs.readFile(join(repo, 'catalog-info.yaml'), 'utf8')),
    ).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: {
        name: 'validator-test-python-service',
        description: 'Software template Python service: "fast" & #1',
      },
      spec: { type: 'url', targets: ['./template.yaml'] },
    });

    // The generated template passes the validator, warnings included ...
    const { code, report } = await validateJson(
      '--strict',
      join(repo, 'template.yaml'),
    );
    expect(report.results[0].problems).toEqual([]);
    expect(code).toBe(0);

    // ... and its own test script renders it into a project, and reports
    // the outcome to the portal's template health.
    const reports: { authorization?: string; body: unknown }[] = [];
    const portal = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        if (
          req.method === 'POST' &&
          req.url === '/api/templates/health/checks'
        ) {
          reports.push({
            authorization: req.headers.authorization,
            body: JSON.parse(body),
          });
          res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>(resolve => portal.listen(0, '127.0.0.1', resolve));
    const { port } = portal.address() as AddressInfo;
    const test = await run('bash', [join(repo, 'scripts/test-template')], {
      cwd: repo,
      env: {
        ...env,
        PAVED_ROAD_HOME: REPO_ROOT,
        PAVED_ROAD_URL: `http://127.0.0.1:${port}`,
        PAVED_ROAD_TOKEN: 'ci-token',
        PAVED_ROAD_RUN_URL: 'https://ci.example.com/runs/42',
      },
    }).finally(() => new Promise(resolve => portal.close(resolve)));
    expect(test.stderr).not.toMatch(/test-template: (?!.*OK)/);
    expect(test.stdout).toContain('test-template: values.yaml OK');
    expect(test.code).toBe(0);
    expect(reports).toEqual([
      {
        authorization: 'Bearer ci-token',
        body: {
          templateRef: 'template:default/validator-test-python-service',
          version: '0.1.0',
          name: 'test-template',
          status: 'passed',
          url: 'https://ci.example.com/runs/42',
        },
      },
    ]);
    const project = yaml.parse(
      await fs.readFile(join(repo, '.render/catalog-info.yaml'), 'utf8'),
    );
    expect(project).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'example-project',
        annotations: {
          'backstage.io/source-template':
            'template:default/validator-test-python-service',
          'paved-road.io/cost-center': 'CC-1001',
          'paved-road.io/business-unit': 'group:default/payments',
          // From the plan step: the embedded default's local git hosting.
          'backstage.io/source-location':
            'url:http://localhost:7007/api/local-git/example-project.git',
        },
      },
      spec: { type: 'service', owner: 'group:default/payments-core' },
    });
  });
});

function exitCode(error: { code?: unknown } | null): number {
  if (!error) return 0;
  return typeof error.code === 'number' ? error.code : 1;
}
