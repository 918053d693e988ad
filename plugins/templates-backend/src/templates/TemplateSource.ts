import { AuthService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  declaredTemplateVersion,
  hashTemplateFiles,
  readTemplateDirectory,
  TemplateFile,
  templateBaseUrl,
} from '@paved-road/plugin-templates-node';
import { parseAllDocuments } from 'yaml';

/** A template as the catalog serves it, with the files of its directory. */
export type TemplateSnapshot = {
  ref: string;
  entity: Entity;
  /** Where its template.yaml lives (the scaffolder's base URL). */
  baseUrl: string;
  /** Its declared version, else the hash of `files`. */
  version: string;
  /** Every file beside template.yaml, template.yaml included. */
  files: TemplateFile[];
  /** Its CHANGELOG.md, if it has one. */
  changelog?: string;
};

/** Reads templates from the catalog and their directories from where they live. */
export class TemplateSource {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      reader: UrlReaderService;
    },
  ) {}

  /**
   * The template and its files. The spec comes from the catalog and the
   * skeleton from the directory, so a directory whose template.yaml
   * declares another version than the catalog's entity (the catalog has
   * not refreshed yet) is a ConflictError rather than a mixed render.
   */
  async load(templateRef: string): Promise<TemplateSnapshot> {
    const { catalog, auth, reader } = this.deps;
    const entity = await catalog.getEntityByRef(templateRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'template') {
      throw new NotFoundError(`Template ${templateRef} is not in the catalog`);
    }
    const ref = stringifyEntityRef(entity);
    const baseUrl = templateBaseUrl(entity);
    if (!baseUrl) {
      throw new InputError(
        `${ref} has no location to read its files from (backstage.io/source-location or managed-by-location)`,
      );
    }
    const files = await readTemplateDirectory(baseUrl, reader);
    const templateFile = files?.find(f => f.path === 'template.yaml');
    if (!files || !templateFile) {
      throw new NotFoundError(
        `The directory of ${ref} (${new URL(
          '.',
          baseUrl,
        )}) holds no template.yaml`,
      );
    }
    const declared = declaredTemplateVersion(entity.metadata);
    const onDisk = declaredTemplateVersion(
      templateMetadata(templateFile.content.toString('utf8'), entity),
    );
    if (declared !== onDisk) {
      throw new ConflictError(
        `${ref} is version ${
          declared ?? '(none declared)'
        } in the catalog but ${
          onDisk ?? '(none declared)'
        } in ${baseUrl}: the catalog has not refreshed the template yet; try again once it has`,
      );
    }
    return {
      ref,
      entity,
      baseUrl,
      version: declared ?? hashTemplateFiles(files),
      files,
      changelog: files
        .find(f => f.path === 'CHANGELOG.md')
        ?.content.toString('utf8'),
    };
  }
}

/** The metadata of the Template in a template.yaml that names this entity. */
function templateMetadata(
  text: string,
  entity: Entity,
): Entity['metadata'] | undefined {
  for (const doc of parseAllDocuments(text)) {
    const value = doc.toJS() as Partial<Entity> | null;
    if (
      value?.kind?.toLocaleLowerCase('en-US') === 'template' &&
      value.metadata?.name === entity.metadata.name
    ) {
      return value.metadata;
    }
  }
  return undefined;
}
