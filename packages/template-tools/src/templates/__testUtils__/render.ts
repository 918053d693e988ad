import fs from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import yaml from 'yaml';
import { directoryContents, SerializedFile } from '../../lib/dryRunRender';
import { inProcessScaffolder } from '../../lib/inProcessScaffolder';
import { REPO_ROOT } from '../../lib/installedActions';

export { REPO_ROOT };

// Values and rendered entities are plain JSON the tests read deeply.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;

export type TemplateEntity = Entity & {
  spec: {
    parameters: JsonObject[];
    steps: Array<{ id: string; action: string; input?: JsonObject }>;
    output?: JsonObject;
  };
};

export type LoadedTemplate = {
  /** template.yaml on disk. */
  file: string;
  entity: TemplateEntity;
  /** Every file beside template.yaml, as the dry-run API takes them. */
  directoryContents: SerializedFile[];
};

/** Reads a template directory the way the dry-run API wants it. */
export async function loadTemplate(dir: string): Promise<LoadedTemplate> {
  const file = join(dir, 'template.yaml');
  const entity = yaml.parse(await fs.readFile(file, 'utf8')) as TemplateEntity;
  return { file, entity, directoryContents: directoryContents(file) };
}

export type Renderer = Awaited<ReturnType<typeof startRenderer>>;

/**
 * The scaffolder the CLI validates and renders with (composed like
 * packages/backend, the sample organisation as its catalog), with `config`
 * merged over app-config.yaml's.
 */
export async function startRenderer(config: JsonObject = {}) {
  const scaffolder = await inProcessScaffolder(config);
  return {
    stop: () => scaffolder.close(),

    async dryRun(
      template: LoadedTemplate,
      values: JsonObject,
      secrets: Record<string, string> = {},
    ) {
      const res = await scaffolder.dryRun({
        template: template.entity,
        values,
        secrets,
        directoryContents: template.directoryContents,
      });
      const body = res.body as JsonObject;
      const files = new Map<string, Buffer>();
      for (const f of (body.directoryContents ?? []) as SerializedFile[]) {
        files.set(f.path, Buffer.from(f.base64Content, 'base64'));
      }
      return { status: res.status, body, files };
    },
  };
}

/** Text of a rendered file; fails the test when it is missing. */
export function text(files: Map<string, Buffer>, path: string): string {
  const content = files.get(path);
  if (!content) {
    throw new Error(
      `${path} was not rendered; got ${[...files.keys()].join(', ')}`,
    );
  }
  return content.toString('utf8');
}

/** Writes rendered files below `dir`. */
export async function writeFiles(files: Map<string, Buffer>, dir: string) {
  for (const [path, content] of files) {
    const target = resolve(dir, path);
    if (!target.startsWith(resolve(dir) + sep)) {
      throw new Error(`rendered path ${path} escapes ${dir}`);
    }
    await fs.mkdir(dirname(target), { recursive: true });
    await fs.writeFile(target, content);
  }
}
