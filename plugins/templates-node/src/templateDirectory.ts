import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { ANNOTATION_DECLARED_TEMPLATE_VERSION } from '@paved-road/plugin-paved-road-common';

/** @public A file of a template's directory, its path relative to it. */
export type TemplateFile = { path: string; content: Buffer };

/**
 * Where a template entity's `template.yaml` lives, by the scaffolder's own
 * rule (`getEntityBaseUrl`): its source-location, else the location it was
 * read from. `./skeleton` in its steps resolves against this URL.
 *
 * @public
 */
export function templateBaseUrl(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const location =
    annotations[ANNOTATION_SOURCE_LOCATION] ?? annotations[ANNOTATION_LOCATION];
  if (!location) {
    return undefined;
  }
  const { type, target } = parseLocationRef(location);
  if (type === 'url') {
    return target;
  }
  if (type === 'file') {
    return `file://${target}`;
  }
  return undefined;
}

/**
 * Every file of the directory holding the template file at `baseUrl`
 * (`template.yaml` included): from disk for `file:`, through the URL
 * reader otherwise. Undefined when the directory is not there, or is
 * remote and no reader is given; any other read failure throws.
 *
 * @public
 */
export async function readTemplateDirectory(
  baseUrl: string,
  reader?: UrlReaderService,
): Promise<TemplateFile[] | undefined> {
  const files = baseUrl.startsWith('file:')
    ? await readLocalTree(fileURLToPath(new URL('.', baseUrl)))
    : await readRemoteTree(new URL('.', baseUrl).toString(), reader);
  return files?.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** @public The version a template declares (`backstage.io/template-version`), trimmed. */
export function declaredTemplateVersion(
  metadata: Pick<Entity['metadata'], 'annotations'> | undefined,
): string | undefined {
  const declared =
    metadata?.annotations?.[ANNOTATION_DECLARED_TEMPLATE_VERSION]?.trim();
  return declared || undefined;
}

/**
 * `sha256:` and the hash of a template's files (each path and content), the
 * version of a template that declares none: two reads of unchanged files
 * give the same version, any change another.
 *
 * @public
 */
export function hashTemplateFiles(files: TemplateFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    // Length-prefixed, so no two different trees hash alike.
    hash.update(`${file.path}\0${file.content.length}\0`);
    hash.update(file.content);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The version of a template: the one it declares, else the hash of its
 * directory (read from `baseUrl` only then). Undefined when it declares
 * none and its directory cannot be found.
 *
 * @public
 */
export async function templateVersionOf(template: {
  metadata?: Pick<Entity['metadata'], 'annotations'>;
  baseUrl?: string;
  reader?: UrlReaderService;
}): Promise<string | undefined> {
  const declared = declaredTemplateVersion(template.metadata);
  if (declared) {
    return declared;
  }
  if (!template.baseUrl) {
    return undefined;
  }
  const files = await readTemplateDirectory(template.baseUrl, template.reader);
  return files ? hashTemplateFiles(files) : undefined;
}

async function readLocalTree(dir: string): Promise<TemplateFile[] | undefined> {
  const entries = await fs
    .readdir(dir, { recursive: true, withFileTypes: true })
    .catch(error => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
  if (!entries) {
    return undefined;
  }
  const files: TemplateFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.push({
      path: relative(dir, path).split('\\').join('/'),
      content: await fs.readFile(path),
    });
  }
  return files;
}

async function readRemoteTree(
  url: string,
  reader?: UrlReaderService,
): Promise<TemplateFile[] | undefined> {
  if (!reader) {
    return undefined;
  }
  // The scaffolder fetches the skeleton from there with the same reader:
  // anything but a missing directory is an error worth failing on.
  const tree = await reader.readTree(url).catch(error => {
    if (isError(error) && error.name === 'NotFoundError') return undefined;
    throw error;
  });
  if (!tree) {
    return undefined;
  }
  const files = await tree.files();
  return Promise.all(
    files.map(async file => ({
      path: file.path,
      content: await file.content(),
    })),
  );
}
