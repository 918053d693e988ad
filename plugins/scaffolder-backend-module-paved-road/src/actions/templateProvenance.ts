import { AuthService, UrlReaderService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject, JsonValue } from '@backstage/types';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  secretFieldPaths,
  templateVersionOf,
} from '@paved-road/plugin-templates-node';

type TemplateInfo = ActionContext<any, any, any>['templateInfo'];

/**
 * The ref of the task's template, from its metadata when the task has it:
 * a dry run names every template `template:default/dry-run` but carries
 * the real template's metadata.
 */
export function templateRefOf(
  templateInfo: TemplateInfo | undefined,
): string | undefined {
  const metadata = templateInfo?.entity?.metadata;
  if (metadata?.name) {
    return stringifyEntityRef({
      kind: 'template',
      namespace: metadata.namespace ?? 'default',
      name: metadata.name,
    });
  }
  return templateInfo?.entityRef;
}

/**
 * The version of the template a task runs: the template's own
 * `backstage.io/template-version`, else `sha256:` and the hash of its
 * directory (every file's path and content), so two runs of unchanged
 * template files give the same version. Undefined when the task knows no
 * template or its directory is not there (or, remote, no reader is given).
 */
export async function resolveTemplateVersion(
  templateInfo: TemplateInfo | undefined,
  reader?: UrlReaderService,
): Promise<string | undefined> {
  return templateVersionOf({
    metadata: templateInfo?.entity?.metadata,
    baseUrl: templateInfo?.baseUrl,
    reader,
  });
}

export { secretFieldPaths };

/**
 * The answers without anything under a `secrets` key, without any value
 * that equals a task secret (a secret copied into a parameter by mistake)
 * and without the fields at `secretPaths`.
 */
export function withoutSecrets(
  parameters: JsonObject,
  secretValues: string[],
  secretPaths: string[][] = [],
): JsonObject {
  const secrets = new Set(secretValues.filter(v => v !== ''));
  const masked = new Set(secretPaths.map(path => path.join('\0')));
  const clean = (
    value: JsonValue | undefined,
    path: string[],
  ): JsonValue | undefined => {
    if (typeof value === 'string') {
      return secrets.has(value) ? undefined : value;
    }
    if (Array.isArray(value)) {
      return value
        .map(item => clean(item, path))
        .filter(v => v !== undefined) as JsonValue[];
    }
    if (value && typeof value === 'object') {
      const out: JsonObject = {};
      for (const [key, child] of Object.entries(value)) {
        const childPath = [...path, key];
        if (key === 'secrets' || masked.has(childPath.join('\0'))) {
          continue;
        }
        const cleaned = clean(child, childPath);
        if (cleaned !== undefined) {
          out[key] = cleaned;
        }
      }
      return out;
    }
    return value;
  };
  return (clean(parameters, []) as JsonObject) ?? {};
}

/**
 * The secret-like fields of the task's template, read from the catalog
 * with the module's own credentials (the task carries only the template's
 * metadata). None for a template the catalog does not hold, e.g. one
 * posted inline to a dry run.
 */
export async function templateSecretPaths(
  templateInfo: TemplateInfo | undefined,
  deps: { catalog?: CatalogService; auth?: AuthService },
): Promise<string[][]> {
  const { catalog, auth } = deps;
  if (!templateInfo?.entityRef || !catalog || !auth) {
    return [];
  }
  const template = await catalog.getEntityByRef(templateInfo.entityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });
  return secretFieldPaths(template?.spec?.parameters);
}
