import fs from 'node:fs/promises';
import { join } from 'node:path';

/** `n` numbered lines, with `change` replacing some by number. */
export const lines = (n: number, change: Record<number, string> = {}) =>
  Array.from({ length: n }, (_, i) => change[i + 1] ?? `line ${i + 1}`)
    .map(l => `${l}\n`)
    .join('');

/** The fixture template: `version`, and what 1.1.0 changes. */
export function fixture(version: '1.0.0' | '1.1.0') {
  const next = version === '1.1.0';
  return {
    'template.yaml': `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: tiny-service
  annotations:
    backstage.io/template-version: ${version}
spec:
  owner: group:default/checkout
  type: service
  parameters:
    - title: Service
      required: [name]
      properties:
        name: { type: string }
${next ? '        greeting: { type: string, default: Hello }\n' : ''}  steps:
    - id: nameFree
      action: paved-road:catalog:assert-name-free
      input:
        kind: Component
        name: \${{ parameters.name }}
    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
        values:
          name: \${{ parameters.name }}
${
  next ? '          greeting: ${{ parameters.greeting }}\n' : ''
}    - id: annotate
      action: paved-road:catalog-info:annotate
      input:
        owner: group:default/checkout
        businessUnit: group:default/payments
        costCenter: CC-1001
        parameters: \${{ parameters }}
    - id: publish
      action: paved-road:publish
      input:
        repoName: \${{ parameters.name }}
        defaultBranch: main
`,
    'CHANGELOG.md': `# Changelog\n\n${
      next ? '## 1.1.0\n\n- Line 9 of config.txt says more.\n- NEW.md.\n\n' : ''
    }## [1.0.0] - 2026-01-05\n\nFirst version.\n`,
    'skeleton/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: \${{ values.name }}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout
`,
    'skeleton/run.sh': '#!/bin/sh\necho ${{ values.name }}\n',
    'skeleton/config.txt': lines(
      10,
      next ? { 9: 'line 9 (template 1.1.0)' } : {},
    ),
    ...(next
      ? {
          'skeleton/NEW.md':
            '# ${{ values.greeting }} from ${{ values.name }}\n',
        }
      : {}),
  };
}

export async function writeTree(dir: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await fs.mkdir(join(dir, path, '..'), { recursive: true });
    await fs.writeFile(join(dir, path), content);
  }
  // Executable in the template, so in the project: the dry run loses modes.
  await fs.chmod(join(dir, 'skeleton/run.sh'), 0o755);
}
