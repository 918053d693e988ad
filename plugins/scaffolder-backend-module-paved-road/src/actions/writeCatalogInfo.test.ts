import fs from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { catalogWithTemplate } from '../__testUtils__/templateCatalog';
import { createWriteCatalogInfoAction } from './writeCatalogInfo';

const SOURCE = `# Owned by the checkout team
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-service
  description: Takes orders # shown on the entity page
  tags: [kotlin, spring-boot]
  annotations:
    github.com/project-slug: acme/orders-service
spec:
  type: service
  lifecycle: experimental
  owner: group:default/guests
---
# The public API
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
spec:
  type: openapi
  lifecycle: experimental
  owner: group:default/guests
  definition: |
    openapi: 3.0.0
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: extra
spec:
  targets: [./docs/catalog-info.yaml]
`;

const INPUT = {
  owner: 'group:default/checkout',
  businessUnit: 'group:default/payments',
  costCenter: 'CC-1001',
};

describe('paved-road:catalog-info:annotate', () => {
  const workspace = createMockDirectory();
  const action = createWriteCatalogInfoAction();

  beforeEach(() => workspace.setContent({ 'catalog-info.yaml': SOURCE }));

  const run = async (input: Record<string, unknown>) => {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace.path,
    });
    await action.handler(ctx);
    return ctx;
  };
  const read = (path = 'catalog-info.yaml') =>
    fs.readFileSync(workspace.resolve(path), 'utf8');

  it('sets owner and annotations, keeping comments and other content', async () => {
    const ctx = await run(INPUT);
    expect(read()).toBe(`# Owned by the checkout team
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-service
  description: Takes orders # shown on the entity page
  tags: [kotlin, spring-boot]
  annotations:
    github.com/project-slug: acme/orders-service
    paved-road.io/cost-center: CC-1001
    paved-road.io/business-unit: group:default/payments
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout
---
# The public API
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: orders-api
  annotations:
    paved-road.io/cost-center: CC-1001
    paved-road.io/business-unit: group:default/payments
spec:
  type: openapi
  lifecycle: experimental
  owner: group:default/checkout
  definition: |
    openapi: 3.0.0
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: extra
spec:
  targets: [./docs/catalog-info.yaml]
`);
    expect(ctx.output).toHaveBeenCalledWith('path', 'catalog-info.yaml');
    expect(ctx.output).toHaveBeenCalledWith('entityRefs', [
      'component:default/orders-service',
      'api:default/orders-api',
    ]);
  });

  it('is idempotent', async () => {
    await run(INPUT);
    const once = read();
    const mtime = fs.statSync(workspace.resolve('catalog-info.yaml')).mtimeMs;
    await run(INPUT);
    expect(read()).toBe(once);
    expect(fs.statSync(workspace.resolve('catalog-info.yaml')).mtimeMs).toBe(
      mtime,
    );
  });

  it('replaces earlier values on a re-run with new input', async () => {
    await run(INPUT);
    await run({
      ...INPUT,
      owner: 'group:default/fleet',
      businessUnit: 'group:default/logistics',
      costCenter: 'CC-2001',
    });
    expect(read()).not.toContain('CC-1001');
    expect(read().match(/CC-2001/g)).toHaveLength(2);
  });

  it('annotates a file in a sub directory', async () => {
    workspace.setContent({ service: { 'catalog-info.yaml': SOURCE } });
    const ctx = await run({ ...INPUT, path: 'service/catalog-info.yaml' });
    expect(read('service/catalog-info.yaml')).toContain(
      'owner: group:default/checkout',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'path',
      'service/catalog-info.yaml',
    );
  });

  it.each(['../catalog-info.yaml', '/etc/passwd', 'a/../../x.yaml'])(
    'refuses %s outside the workspace',
    async path => {
      await expect(run({ ...INPUT, path })).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: `input.path ${JSON.stringify(
          path,
        )} points outside the task workspace`,
      });
    },
  );

  it('refuses a symlink that leads outside the workspace', async () => {
    const outside = createMockDirectory();
    outside.setContent({ 'victim.yaml': SOURCE });
    workspace.setContent({});
    fs.symlinkSync(
      outside.resolve('victim.yaml'),
      workspace.resolve('catalog-info.yaml'),
    );
    await expect(run(INPUT)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(fs.readFileSync(outside.resolve('victim.yaml'), 'utf8')).toBe(
      SOURCE,
    );
  });

  it('names the field on bad input and leaves the file alone', async () => {
    await expect(run({ ...INPUT, costCenter: 'CC-1' })).rejects.toThrow(
      'input.costCenter must match the cost center format',
    );
    await expect(run({ ...INPUT, owner: 'user:default/jane' })).rejects.toThrow(
      'input.owner must be a Group entity ref',
    );
    await expect(run({ ...INPUT, businessUnit: 'a:b:c/d' })).rejects.toThrow(
      'input.businessUnit must be a Group entity ref',
    );
    expect(read()).toBe(SOURCE);
  });

  it('reports a missing file, broken YAML and files without entities', async () => {
    await expect(run({ ...INPUT, path: 'nope.yaml' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(
        /^input.path: nope.yaml does not exist in the workspace. If the backend restarted/,
      ),
    });

    workspace.setContent({ 'catalog-info.yaml': 'kind: [Component\n' });
    await expect(run(INPUT)).rejects.toThrow(
      'input.path: catalog-info.yaml is not valid YAML',
    );

    workspace.setContent({ 'catalog-info.yaml': 'kind: Group\n' });
    await expect(run(INPUT)).rejects.toThrow(
      'catalog-info.yaml holds no Component, Resource, System or API entity',
    );
  });

  describe('with the template behind the task', () => {
    const outside = createMockDirectory();
    const templateAction = createWriteCatalogInfoAction({
      catalog: catalogWithTemplate('kotlin-spring-service', [
        {
          properties: {
            name: { type: 'string' },
            registryPassword: { type: 'string', 'ui:widget': 'password' },
          },
        },
      ]),
      auth: mockServices.auth(),
    });
    const runWithTemplate = async (
      input: Record<string, unknown>,
      annotations: Record<string, string> = {
        'backstage.io/template-version': '1.2.0',
      },
    ) => {
      const ctx = createMockActionContext({
        input: input as any,
        workspacePath: workspace.path,
        secrets: { USER_OAUTH_TOKEN: 'gho_secret' },
        templateInfo: {
          entityRef: 'template:default/kotlin-spring-service',
          baseUrl: `file://${workspace.resolve('template/template.yaml')}`,
          entity: { metadata: { name: 'kotlin-spring-service', annotations } },
        },
      });
      await templateAction.handler(ctx);
      return ctx;
    };
    const annotationsOf = (index: number) =>
      yaml.parseAllDocuments(read())[index].toJS().metadata.annotations;

    it('records the template and its version on every entity, keeping a source-template the skeleton wrote', async () => {
      workspace.setContent({
        'catalog-info.yaml': SOURCE.replace(
          '    github.com/project-slug: acme/orders-service\n',
          '    github.com/project-slug: acme/orders-service\n    backstage.io/source-template: template:default/orders-v0\n',
        ),
      });
      const ctx = await runWithTemplate(INPUT);

      expect(annotationsOf(0)).toMatchObject({
        'backstage.io/source-template': 'template:default/orders-v0',
        'paved-road.io/template-version': '1.2.0',
      });
      expect(annotationsOf(1)).toMatchObject({
        'backstage.io/source-template':
          'template:default/kotlin-spring-service',
        'paved-road.io/template-version': '1.2.0',
      });
      expect(annotationsOf(2)).toBeUndefined();
      expect(ctx.output).toHaveBeenCalledWith('templateVersion', '1.2.0');
    });

    it('writes the answers file without secrets, the same on a second run', async () => {
      const input = {
        ...INPUT,
        parameters: {
          name: 'orders-service',
          registryPassword: 'hunter2',
          token: 'gho_secret',
          secrets: { x: 'y' },
          deployment: { replicas: 2, regions: ['eu-west-1'] },
        },
      };
      await runWithTemplate(input);
      const answers = read('.paved-road/answers.yaml');
      expect(answers).toMatch(/^# The template and answers this project/);
      expect(yaml.parse(answers)).toEqual({
        template: 'template:default/kotlin-spring-service',
        version: '1.2.0',
        answers: {
          name: 'orders-service',
          deployment: { replicas: 2, regions: ['eu-west-1'] },
        },
      });
      expect(answers).not.toMatch(/hunter2|gho_secret/);

      const catalogInfo = read();
      await runWithTemplate(input);
      expect(read('.paved-road/answers.yaml')).toBe(answers);
      expect(read()).toBe(catalogInfo);
      expect(fs.readdirSync(workspace.resolve('.paved-road'))).toEqual([
        'answers.yaml',
      ]);
    });

    it('refuses an answers directory that leads out of the workspace', async () => {
      fs.symlinkSync(outside.path, workspace.resolve('.paved-road'));
      await expect(
        runWithTemplate({ ...INPUT, parameters: { name: 'x' } }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'The answers file .paved-road/answers.yaml points outside the task workspace',
      });
      expect(fs.readdirSync(outside.path)).toEqual([]);
    });

    it('uses the hash of the template directory when the template declares no version', async () => {
      workspace.addContent({ 'template/template.yaml': 'kind: Template\n' });
      await runWithTemplate({ ...INPUT, parameters: { name: 'x' } }, {});
      const version = yaml.parse(read('.paved-road/answers.yaml')).version;
      expect(version).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(annotationsOf(0)['paved-road.io/template-version']).toBe(version);
    });
  });

  it('writes no template annotations nor answers file without a template', async () => {
    await run({ ...INPUT, parameters: { name: 'orders-service' } });
    expect(read()).not.toContain('template-version');
    expect(fs.existsSync(workspace.resolve('.paved-road'))).toBe(false);
  });

  it('describes every input and output field', () => {
    const schema = action.schema as any;
    for (const part of [schema.input, schema.output]) {
      for (const [name, field] of Object.entries<any>(part.properties)) {
        expect([name, field.description]).toEqual([name, expect.any(String)]);
      }
    }
    expect(schema.input.required.sort()).toEqual([
      'businessUnit',
      'costCenter',
      'owner',
    ]);
    expect(action.supportsDryRun).toBe(true);
  });
});
