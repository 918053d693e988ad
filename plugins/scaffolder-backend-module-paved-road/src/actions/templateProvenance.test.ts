import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogWithTemplate } from '../__testUtils__/templateCatalog';
import {
  resolveTemplateVersion,
  secretFieldPaths,
  templateRefOf,
  templateSecretPaths,
  withoutSecrets,
} from './templateProvenance';

describe('templateRefOf', () => {
  it("names the template from its metadata, which a dry run's ref does not", () => {
    expect(
      templateRefOf({
        entityRef: 'template:default/dry-run',
        entity: { metadata: { name: 'orders', namespace: 'platform' } },
      }),
    ).toBe('template:platform/orders');
    expect(templateRefOf({ entityRef: 'template:default/orders' })).toBe(
      'template:default/orders',
    );
    expect(templateRefOf(undefined)).toBeUndefined();
  });
});

describe('resolveTemplateVersion', () => {
  const mockDir = createMockDirectory();
  const local = (annotations: Record<string, string> = {}) => ({
    entityRef: 'template:default/orders',
    baseUrl: `file://${mockDir.resolve('orders/template.yaml')}`,
    entity: { metadata: { name: 'orders', annotations } },
  });

  beforeEach(() =>
    mockDir.setContent({
      orders: {
        'template.yaml': 'kind: Template\n',
        skeleton: { 'README.md': '# ${{ values.name }}\n' },
      },
    }),
  );

  it('is the version the template declares', async () => {
    await expect(
      resolveTemplateVersion(
        local({ 'backstage.io/template-version': ' 2.1.0 ' }),
      ),
    ).resolves.toBe('2.1.0');
  });

  it('is the hash of the template directory when it declares none, changing with any file', async () => {
    const first = await resolveTemplateVersion(local());
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(resolveTemplateVersion(local())).resolves.toBe(first);

    mockDir.addContent({ 'orders/skeleton/README.md': '# changed\n' });
    const changed = await resolveTemplateVersion(local());
    expect(changed).not.toBe(first);

    // Back to the first content, plus an empty file: still another version.
    mockDir.addContent({
      'orders/skeleton/README.md': '# ${{ values.name }}\n',
    });
    mockDir.addContent({ 'orders/skeleton/NOTES.md': '' });
    await expect(resolveTemplateVersion(local())).resolves.not.toBe(first);
  });

  it('reads a remote template directory through the URL reader', async () => {
    const reader = mockServices.urlReader.mock({
      readTree: async () =>
        ({
          files: async () => [
            { path: 'template.yaml', content: async () => Buffer.from('a') },
          ],
        } as any),
    });
    const version = await resolveTemplateVersion(
      {
        entityRef: 'template:default/orders',
        baseUrl:
          'https://github.com/acme/templates/blob/main/orders/template.yaml',
      },
      reader,
    );
    expect(version).toMatch(/^sha256:/);
    expect(reader.readTree).toHaveBeenCalledWith(
      'https://github.com/acme/templates/blob/main/orders/',
    );
  });

  it('fails when a remote template directory cannot be read', async () => {
    const reader = mockServices.urlReader.mock({
      readTree: async () => {
        throw new NotAllowedError('Reading is not allowed');
      },
    });
    await expect(
      resolveTemplateVersion(
        {
          entityRef: 'template:default/orders',
          baseUrl: 'https://git.example.com/orders/template.yaml',
        },
        reader,
      ),
    ).rejects.toThrow('Reading is not allowed');
  });

  it('is undefined without a template or its directory', async () => {
    await expect(resolveTemplateVersion(undefined)).resolves.toBeUndefined();
    await expect(
      resolveTemplateVersion({
        entityRef: 'template:default/gone',
        baseUrl: `file://${mockDir.resolve('gone/template.yaml')}`,
      }),
    ).resolves.toBeUndefined();
  });
});

const PARAMETERS = [
  {
    properties: {
      name: { type: 'string' },
      apiKey: { type: 'string', 'ui:field': 'Secret' },
    },
  },
  {
    properties: {
      registry: {
        type: 'object',
        properties: {
          url: { type: 'string' },
          password: { type: 'string', 'ui:widget': 'password' },
          pin: { type: 'string', format: 'password' },
          token: {
            type: 'string',
            'ui:backstage': { review: { mask: '****' } },
          },
        },
      },
    },
  },
];

describe('secretFieldPaths', () => {
  it('finds password-like fields on every page and in nested objects', () => {
    expect(secretFieldPaths(PARAMETERS)).toEqual([
      ['apiKey'],
      ['registry', 'password'],
      ['registry', 'pin'],
      ['registry', 'token'],
    ]);
    expect(secretFieldPaths(PARAMETERS[0])).toEqual([['apiKey']]);
    expect(secretFieldPaths(undefined)).toEqual([]);
  });
});

describe('templateSecretPaths', () => {
  it("reads the template's form from the catalog", async () => {
    const catalog = catalogWithTemplate('orders', PARAMETERS);
    const auth = mockServices.auth();
    await expect(
      templateSecretPaths(
        { entityRef: 'template:default/orders' },
        { catalog, auth },
      ),
    ).resolves.toHaveLength(4);
    await expect(
      templateSecretPaths(
        { entityRef: 'template:default/inline' },
        { catalog, auth },
      ),
    ).resolves.toEqual([]);
  });
});

describe('withoutSecrets', () => {
  it('drops secrets keys at any depth and values equal to a task secret', () => {
    expect(
      withoutSecrets(
        {
          a: 'x',
          secrets: { b: 1 },
          list: ['keep', 'hidden', { secrets: 'y', c: 'hidden' }],
        },
        ['hidden', ''],
      ),
    ).toEqual({ a: 'x', list: ['keep', {}] });
  });

  it('drops the password fields of the form', () => {
    expect(
      withoutSecrets(
        {
          name: 'orders',
          apiKey: 'k',
          registry: { url: 'https://r', password: 'p', pin: '1', token: 't' },
        },
        [],
        secretFieldPaths(PARAMETERS),
      ),
    ).toEqual({ name: 'orders', registry: { url: 'https://r' } });
  });
});
