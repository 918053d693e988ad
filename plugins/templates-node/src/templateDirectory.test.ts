import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  hashTemplateFiles,
  readTemplateDirectory,
  templateBaseUrl,
  templateVersionOf,
} from './templateDirectory';

describe('templateBaseUrl', () => {
  const entity = (annotations: Record<string, string>) => ({
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'orders', annotations },
  });

  it('prefers the source location, as the scaffolder does', () => {
    expect(
      templateBaseUrl(
        entity({
          'backstage.io/source-location':
            'url:https://github.com/acme/t/tree/main/orders/',
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/t/blob/main/orders/template.yaml',
        }),
      ),
    ).toBe('https://github.com/acme/t/tree/main/orders/');
  });

  it('falls back to the managed-by location; file: becomes a file URL', () => {
    expect(
      templateBaseUrl(
        entity({
          'backstage.io/managed-by-location': 'file:/srv/orders/template.yaml',
        }),
      ),
    ).toBe('file:///srv/orders/template.yaml');
    expect(templateBaseUrl(entity({}))).toBeUndefined();
  });
});

describe('readTemplateDirectory', () => {
  const mockDir = createMockDirectory();

  it('reads every file beside template.yaml, sorted by path', async () => {
    mockDir.setContent({
      orders: {
        'template.yaml': 'kind: Template\n',
        'CHANGELOG.md': '## 1.0.0\n',
        skeleton: { 'README.md': '# ${{ values.name }}\n' },
      },
    });
    const files = await readTemplateDirectory(
      `file://${mockDir.resolve('orders/template.yaml')}`,
    );
    expect(files?.map(f => [f.path, f.content.toString()])).toEqual([
      ['CHANGELOG.md', '## 1.0.0\n'],
      ['skeleton/README.md', '# ${{ values.name }}\n'],
      ['template.yaml', 'kind: Template\n'],
    ]);
    // The hash of what was read is the version of a template declaring none.
    await expect(
      templateVersionOf({
        baseUrl: `file://${mockDir.resolve('orders/template.yaml')}`,
      }),
    ).resolves.toBe(hashTemplateFiles(files!));
  });
});
