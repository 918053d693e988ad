import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TemplateSource } from './TemplateSource';

describe('TemplateSource', () => {
  const mockDir = createMockDirectory();
  const templateYaml = (version: string) =>
    `kind: Template\nmetadata:\n  name: orders\n  annotations:\n    backstage.io/template-version: ${version}\n`;
  const source = (version: string) =>
    new TemplateSource({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'scaffolder.backstage.io/v1beta3',
            kind: 'Template',
            metadata: {
              name: 'orders',
              namespace: 'default',
              annotations: {
                'backstage.io/template-version': version,
                'backstage.io/managed-by-location': `file:${mockDir.resolve(
                  'orders/template.yaml',
                )}`,
              },
            },
            spec: {},
          },
        ],
      }),
      auth: mockServices.auth(),
      reader: mockServices.urlReader.mock(),
    });

  beforeEach(() =>
    mockDir.setContent({
      orders: {
        'template.yaml': templateYaml('1.1.0'),
        'CHANGELOG.md': '## 1.1.0\n\nNew.\n',
        skeleton: { 'README.md': '# ${{ values.name }}\n' },
      },
    }),
  );

  it('gives the template, its version, its files and its changelog', async () => {
    const template = await source('1.1.0').load('template:default/orders');
    expect(template).toMatchObject({
      ref: 'template:default/orders',
      version: '1.1.0',
      changelog: '## 1.1.0\n\nNew.\n',
    });
    expect(template.files.map(f => f.path)).toEqual([
      'CHANGELOG.md',
      'skeleton/README.md',
      'template.yaml',
    ]);
  });

  it('refuses a directory that declares another version than the catalog', async () => {
    await expect(
      source('1.0.0').load('template:default/orders'),
    ).rejects.toThrow(
      /version 1\.0\.0 in the catalog but 1\.1\.0 in file:.*the catalog has not refreshed/,
    );
  });

  it('is a NotFoundError for a template the catalog does not hold', async () => {
    await expect(
      source('1.1.0').load('template:default/gone'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
