import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  ANNOTATION_TEMPLATE_VERSION,
  DEFAULT_DEPLOYMENT_SETTINGS,
  deploymentSettingsSchema,
} from '@paved-road/plugin-paved-road-common';
import yaml from 'yaml';
import { libraryCases, RenderCase, serviceCases } from './__testUtils__/cases';
import {
  JsonObject,
  loadTemplate,
  LoadedTemplate,
  REPO_ROOT,
  Renderer,
  startRenderer,
  text,
} from './__testUtils__/render';

/*
 * The repository's Kotlin templates rendered for every option that changes
 * the files, through the scaffolder the CLI uses (composed like
 * packages/backend) and its dry run; their form fields; the deployment
 * bounds against the platform's schema. Real tasks of these templates (the
 * module's actions, publishing, audit) are tested in
 * plugins/scaffolder-backend-module-paved-road.
 */

jest.setTimeout(120_000);

const LIBRARY_STEP_IDS = [
  'nameFree',
  'plan',
  'resolve',
  'fetchSkeleton',
  'annotate',
  'publish',
  'register',
  'awaitEntity',
  'record',
];
/** The service's steps: the library's and the optional first deployment. */
const SERVICE_STEP_IDS = [...LIBRARY_STEP_IDS, 'deploy'];

const entityPolicy = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
]);

async function checkEntity(entity: Entity, files: Map<string, Buffer>) {
  // The catalog resolves $text placeholders before validating.
  const definition = entity.spec?.definition as { $text?: string } | undefined;
  const resolved =
    definition?.$text !== undefined
      ? {
          ...entity,
          spec: {
            ...entity.spec,
            definition: text(files, definition.$text.replace(/^\.\//, '')),
          },
        }
      : entity;
  expect(await entityPolicy.enforce(resolved)).toBeDefined();
  const validator =
    entity.kind === 'API'
      ? apiEntityV1alpha1Validator
      : componentEntityV1alpha1Validator;
  expect(await validator.check(resolved)).toBe(true);
}

/** Checks shared by every render of both templates. */
async function checkCommon(
  files: Map<string, Buffer>,
  body: JsonObject,
  c: RenderCase,
  templateName: string,
) {
  const { values, expected } = c;
  expect(body.steps.map((s: { id: string }) => s.id)).toEqual(
    templateName === 'kotlin-spring-service'
      ? SERVICE_STEP_IDS
      : LIBRARY_STEP_IDS,
  );

  // Nothing left unrendered; every YAML file parses.
  for (const [path, content] of files) {
    const s = content.toString('utf8');
    expect({ path, leftover: /\$\{\{\s*values|\{%|%\}|\{#/.test(s) }).toEqual({
      path,
      leftover: false,
    });
    expect(path).not.toMatch(/\$\{\{|\/\//);
    if (/\.ya?ml$/.test(path)) {
      for (const doc of yaml.parseAllDocuments(s)) {
        expect({ path, errors: doc.errors.map(e => e.message) }).toEqual({
          path,
          errors: [],
        });
      }
    }
  }

  // catalog-info: valid entities with owner, business unit, cost center,
  // system and the repository that paved-road:publish reported, which the
  // plan step predicted from the module's configuration.
  const remoteUrl = body.output.links.find(
    (l: { title: string }) => l.title === 'Repository',
  ).url;
  expect(remoteUrl).toBe(
    `http://localhost:7007/api/local-git/${values.name}.git`,
  );
  const entities = yaml
    .parseAllDocuments(text(files, 'catalog-info.yaml'))
    .map(d => d.toJS() as Entity);
  for (const entity of entities) {
    await checkEntity(entity, files);
    expect(entity.spec?.owner).toBe(values.owner);
    expect(entity.spec?.system).toBe(expected.system);
    expect(entity.metadata.annotations).toMatchObject({
      [ANNOTATION_COST_CENTER]: expected.costCenter,
      [ANNOTATION_BUSINESS_UNIT]: expected.businessUnit,
      'backstage.io/source-location': `url:${remoteUrl}`,
      'backstage.io/source-template': `template:default/${templateName}`,
      [ANNOTATION_TEMPLATE_VERSION]: '2.0.0',
    });
    expect(entity.metadata.annotations).not.toHaveProperty(
      'github.com/project-slug',
    );
  }
  expect(entities[0]).toMatchObject({
    kind: 'Component',
    metadata: { name: values.name, description: values.description },
  });

  // The template, its version and the answers, for later upgrades.
  expect(yaml.parse(text(files, '.paved-road/answers.yaml'))).toEqual({
    template: `template:default/${templateName}`,
    version: '2.0.0',
    answers: values,
  });

  // pom and Kotlin sources.
  const pom = text(files, 'pom.xml');
  expect(pom).toContain(`<java.version>${values.javaVersion}</java.version>`);
  expect(pom).toContain(`<groupId>${values.groupId}</groupId>`);
  expect(pom).toContain(`<artifactId>${values.name}</artifactId>`);
  expect(pom).toContain(
    `<description>${values.description
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')}</description>`,
  );
  const dir = expected.basePackage.replace(/\./g, '/');
  const kotlin = [...files.keys()].filter(p => p.endsWith('.kt'));
  expect(kotlin.length).toBeGreaterThan(0);
  for (const path of kotlin) {
    expect(path).toMatch(new RegExp(`^src/(main|test)/kotlin/${dir}/`));
    expect(text(files, path)).toMatch(
      new RegExp(`^package ${expected.basePackage.replace(/\./g, '\\.')}\\b`),
    );
  }

  // Java version everywhere it is pinned.
  for (const [path, content] of files) {
    if (!path.startsWith('.github/workflows/')) continue;
    for (const m of content
      .toString('utf8')
      .matchAll(/(?:java-version|JAVA_VERSION): '?(\d+)'?/g)) {
      expect({ path, java: m[1] }).toEqual({ path, java: values.javaVersion });
    }
  }

  expect(text(files, 'CODEOWNERS')).toContain(
    `* @${values.owner.split('/')[1]}`,
  );
  for (const f of ['README.md', '.github/dependabot.yml']) {
    expect(files.has(f)).toBe(true);
  }
}

describe('Kotlin templates rendered by the real scaffolder (dry run)', () => {
  let scaffolder: Renderer;
  let service: LoadedTemplate;
  let library: LoadedTemplate;
  let gitDir: string;

  beforeAll(async () => {
    gitDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-git-'));
    service = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    library = await loadTemplate(join(REPO_ROOT, 'templates/kotlin-library'));
    scaffolder = await startRenderer({
      pavedRoad: { localGit: { directory: gitDir } },
    });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(gitDir, { recursive: true, force: true });
  });

  describe('kotlin-spring-service', () => {
    it.each(serviceCases.map(c => [c.title, c] as const))(
      'renders %s',
      async (_title, c) => {
        const { status, body, files } = await scaffolder.dryRun(
          service,
          c.values,
        );
        expect({ status, error: body.error }).toEqual({
          status: 200,
          error: undefined,
        });
        await checkCommon(files, body, c, 'kotlin-spring-service');

        // The API entity next to the Component.
        const entities = yaml
          .parseAllDocuments(text(files, 'catalog-info.yaml'))
          .map(d => d.toJS() as Entity);
        expect(entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
          `Component:${c.values.name}`,
          `API:${c.values.name}-api`,
        ]);

        // Deployment settings as code: what the form said, valid against
        // the one schema the settings API and the cost estimate use.
        const settings = yaml.parse(text(files, 'deploy/paved-road.yaml'));
        expect(settings).toMatchObject({
          apiVersion: 'paved-road.io/v1',
          kind: 'DeploymentSettings',
          metadata: { name: c.values.name },
        });
        const parsed = deploymentSettingsSchema.safeParse(settings.spec);
        expect(parsed.success).toBe(true);
        expect(settings.spec).toEqual(
          deploymentSettingsSchema.parse(c.values.deployment),
        );
        const deploymentYaml = text(files, 'deploy/k8s/deployment.yaml');
        expect(deploymentYaml).toContain(
          c.values.deployment.rollout.strategy === 'recreate'
            ? 'type: Recreate'
            : 'type: RollingUpdate',
        );

        const docker = text(files, 'Dockerfile');
        expect(docker).toContain(
          `FROM maven:3.9-eclipse-temurin-${c.values.javaVersion} AS build`,
        );
        expect(docker).toContain(
          `FROM eclipse-temurin:${c.values.javaVersion}-jre`,
        );
        expect(files.has('.github/workflows/ci.yaml')).toBe(true);
        expect(files.has('.github/workflows/cd.yaml')).toBe(true);
      },
    );

    // A dry run starts no deployment; the step still runs (in dry-run
    // mode) and its link goes to the Deployments tab.
    it.each([
      ['not given', {}, 'skipped', []],
      ['false', { deployAfterCreation: false }, 'skipped', []],
      [
        'true',
        { deployAfterCreation: true },
        'completed',
        [
          {
            title: 'First deployment',
            url: '/catalog/default/component/orders-service/deployments',
          },
        ],
      ],
    ])(
      'deployAfterCreation %s (%j): deploy step %s, links %j',
      async (_title, change, status, deployLinks) => {
        const { status: code, body } = await scaffolder.dryRun(service, {
          ...serviceCases[0].values,
          ...change,
        });
        expect(code).toBe(200);
        const deployStatuses: string[] = body.log
          .map((l: { body: JsonObject }) => l.body)
          .filter((b: JsonObject) => b.stepId === 'deploy' && b.status)
          .map((b: JsonObject) => b.status);
        expect(deployStatuses.pop()).toBe(status);
        expect(
          body.output.links.filter(
            (l: { title: string }) =>
              !['Repository', 'Open in catalog'].includes(l.title),
          ),
        ).toEqual(deployLinks);
      },
    );
  });

  describe('kotlin-library', () => {
    it.each(libraryCases.map(c => [c.title, c] as const))(
      'renders %s',
      async (_title, c) => {
        const { status, body, files } = await scaffolder.dryRun(
          library,
          c.values,
        );
        expect({ status, error: body.error }).toEqual({
          status: 200,
          error: undefined,
        });
        await checkCommon(files, body, c, 'kotlin-library');

        const registryUrl = c.values.registryUrl ?? '';
        const [component] = yaml
          .parseAllDocuments(text(files, 'catalog-info.yaml'))
          .map(d => d.toJS() as Entity);
        expect(component.spec?.type).toBe('library');
        expect(component.metadata.links ?? []).toEqual(
          registryUrl
            ? [{ url: registryUrl, title: 'Maven repository', icon: 'catalog' }]
            : [],
        );
        // No registry: no distributionManagement with empty URLs.
        const pom = text(files, 'pom.xml');
        expect({
          distributionManagement: pom.includes('<distributionManagement>'),
          urls: pom.split(`<url>${registryUrl}</url>`).length - 1,
        }).toEqual({
          distributionManagement: Boolean(registryUrl),
          urls: registryUrl ? 2 : 0,
        });
        expect(files.has('.github/workflows/ci.yaml')).toBe(true);
        expect(files.has('.github/workflows/release.yaml')).toBe(true);
        expect(files.has('Dockerfile')).toBe(false);
      },
    );
  });

  it('predicts the GitHub repository in production', async () => {
    // app-config.production.yaml publishes to GitHub; the plan step gives
    // the template the organisation's repository URL.
    const github = await startRenderer({
      backend: { baseUrl: 'https://backstage.acme.com' },
      integrations: { github: [{ host: 'github.com' }] },
      pavedRoad: {
        publish: { target: 'github', github: { owner: 'acme' } },
      },
    });
    try {
      const { status, body, files } = await github.dryRun(
        service,
        serviceCases[0].values,
      );
      expect(status).toBe(200);
      const [component] = yaml
        .parseAllDocuments(text(files, 'catalog-info.yaml'))
        .map(d => d.toJS() as Entity);
      expect(body.output.links[0].url).toBe(
        'https://github.com/acme/orders-service.git',
      );
      expect(component.metadata.annotations).toMatchObject({
        'backstage.io/source-location':
          'url:https://github.com/acme/orders-service.git',
        'github.com/project-slug': 'acme/orders-service',
      });
    } finally {
      await github.stop();
    }
  });
});

describe('Kotlin template parameters', () => {
  const templates = ['kotlin-spring-service', 'kotlin-library'];

  it.each(templates)(
    '%s: every field has a title, a description, validation and a default',
    async name => {
      const { entity } = await loadTemplate(join(REPO_ROOT, 'templates', name));
      const userSpecific = new Set(['name', 'description', 'owner']);
      const problems: string[] = [];
      const visit = (key: string, schema: JsonObject, path: string) => {
        if (!schema.title) problems.push(`${path}: no title`);
        if (schema.type === 'object') {
          for (const [k, s] of Object.entries(schema.properties ?? {})) {
            visit(k, s as JsonObject, `${path}.${k}`);
          }
          return;
        }
        if (!schema.description) problems.push(`${path}: no description`);
        // A boolean's type is all there is to validate.
        const validated =
          schema.type === 'boolean' ||
          schema.enum ||
          schema.pattern ||
          (schema.minimum !== undefined && schema.maximum !== undefined) ||
          (schema.minItems !== undefined && schema.maxItems !== undefined);
        if (!validated) problems.push(`${path}: no validation`);
        if (schema.default === undefined && !userSpecific.has(key)) {
          problems.push(`${path}: no default`);
        }
      };
      for (const page of entity.spec.parameters) {
        for (const [k, s] of Object.entries(page.properties ?? {})) {
          visit(k, s as JsonObject, k);
        }
      }
      expect(problems).toEqual([]);
    },
  );

  it('deployment defaults are the platform defaults', async () => {
    const { entity } = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    const schema = entity.spec.parameters[2].properties.deployment;
    const defaults = (s: JsonObject): unknown =>
      s.type === 'object'
        ? Object.fromEntries(
            Object.entries(s.properties).map(([k, v]) => [
              k,
              defaults(v as JsonObject),
            ]),
          )
        : s.default;
    expect(defaults(schema)).toEqual(DEFAULT_DEPLOYMENT_SETTINGS);
  });
});

/**
 * The server-side validation of the scaffolder (jsonschema, the same code
 * path as POST /api/scaffolder/v2/tasks) against the zod schema of
 * paved-road-common: they must accept and reject the same settings.
 */
describe('deployment settings bounds mirror deploymentSettingsSchema', () => {
  let scaffolder: Renderer;
  let probe: LoadedTemplate;

  beforeAll(async () => {
    const { entity } = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    probe = {
      file: 'probe.yaml',
      directoryContents: [],
      entity: {
        ...entity,
        spec: {
          ...entity.spec,
          parameters: [entity.spec.parameters[2]],
          steps: [
            { id: 'noop', action: 'debug:log', input: { message: 'ok' } },
          ],
          output: {},
        },
      },
    };
    scaffolder = await startRenderer();
  });

  afterAll(() => scaffolder?.stop());

  const base = DEFAULT_DEPLOYMENT_SETTINGS;
  const variants: Array<[string, JsonObject]> = [
    ['defaults', {}],
    ...[0, 1, 50, 51, 2.5].map(
      n => [`replicas ${n}`, { replicas: n }] as [string, JsonObject],
    ),
    ...[99, 100, 16000, 16001].map(
      n => [`cpu ${n}`, { cpuMillicores: n }] as [string, JsonObject],
    ),
    ...[127, 128, 65536, 65537].map(
      n => [`memory ${n}`, { memoryMiB: n }] as [string, JsonObject],
    ),
    ...[
      'a',
      'ab',
      'eu-prod',
      'Prod',
      '1abc',
      `a${'b'.repeat(40)}`,
      `a${'b'.repeat(41)}`,
    ].map(s => [`cluster ${s}`, { cluster: s }] as [string, JsonObject]),
    ...[
      [],
      ['eu-west-1'],
      [
        'eu-west-1',
        'us-east-1',
        'eu-central-1',
        'ap-south-1',
        'sa-east-1',
        'us-west-2',
      ],
      [
        'eu-west-1',
        'us-east-1',
        'eu-central-1',
        'ap-south-1',
        'sa-east-1',
        'us-west-2',
        'us-west-1',
      ],
      ['eu-west'],
      ['EU-west-1'],
      ['eu-west-12'],
    ].map(
      r => [`regions ${r.join(',')}`, { regions: r }] as [string, JsonObject],
    ),
    ...['canary', 'rolling', 'recreate', 'blue-green'].map(
      s =>
        [`strategy ${s}`, { rollout: { ...base.rollout, strategy: s } }] as [
          string,
          JsonObject,
        ],
    ),
    ...[0, 1, 50, 51].map(
      n =>
        [
          `canaryPercent ${n}`,
          { rollout: { ...base.rollout, canaryPercent: n } },
        ] as [string, JsonObject],
    ),
    ...['/', '/health', 'health', '/a b', '/ready?x=1'].map(
      p =>
        [
          `healthCheckPath ${p}`,
          { rollout: { ...base.rollout, healthCheckPath: p } },
        ] as [string, JsonObject],
    ),
    ['rollout without optional fields', { rollout: { strategy: 'rolling' } }],
    ['missing cluster', { cluster: undefined }],
  ];

  it.each(variants)('%s', async (_title, change) => {
    const settings = JSON.parse(JSON.stringify({ ...base, ...change }));
    const zodAccepts = deploymentSettingsSchema.safeParse(settings).success;
    const { status, body } = await scaffolder.dryRun(probe, {
      deployment: settings,
    });
    // Rejections name the field under instance.deployment.
    const field = body.errors?.[0]?.property?.split('.').slice(0, 2).join('.');
    expect({ status, field }).toEqual(
      zodAccepts
        ? { status: 200, field: undefined }
        : { status: 400, field: 'instance.deployment' },
    );
  });
});
